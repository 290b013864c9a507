using MudBlazor;

namespace ExpenseTracker.Web.Features.Categories;

/// <summary>The Material icons a category can use, by the name stored in <c>Category.Icon</c>.</summary>
public static class CategoryIcons
{
    private static readonly Dictionary<string, string> Svg = new(StringComparer.Ordinal)
    {
        ["ShoppingCart"] = Icons.Material.Filled.ShoppingCart,
        ["Restaurant"] = Icons.Material.Filled.Restaurant,
        ["DirectionsCar"] = Icons.Material.Filled.DirectionsCar,
        ["Home"] = Icons.Material.Filled.Home,
        ["Bolt"] = Icons.Material.Filled.Bolt,
        ["LocalHospital"] = Icons.Material.Filled.LocalHospital,
        ["ChildCare"] = Icons.Material.Filled.ChildCare,
        ["Movie"] = Icons.Material.Filled.Movie,
        ["ShoppingBag"] = Icons.Material.Filled.ShoppingBag,
        ["Flight"] = Icons.Material.Filled.Flight,
        ["CardGiftcard"] = Icons.Material.Filled.CardGiftcard,
        ["Category"] = Icons.Material.Filled.Category,
        ["LocalCafe"] = Icons.Material.Filled.LocalCafe,
        ["Pets"] = Icons.Material.Filled.Pets,
        ["School"] = Icons.Material.Filled.School,
        ["FitnessCenter"] = Icons.Material.Filled.FitnessCenter,
        ["Phone"] = Icons.Material.Filled.Phone,
        ["Wifi"] = Icons.Material.Filled.Wifi,
        ["LocalGasStation"] = Icons.Material.Filled.LocalGasStation,
        ["Savings"] = Icons.Material.Filled.Savings,
        ["Checkroom"] = Icons.Material.Filled.Checkroom,
        ["SportsEsports"] = Icons.Material.Filled.SportsEsports,
        ["Build"] = Icons.Material.Filled.Build,
        ["Work"] = Icons.Material.Filled.Work,
    };

    public static IReadOnlyList<string> Names { get; } = Svg.Keys.ToArray();

    /// <summary>The SVG path of a stored icon name; unknown names fall back to the generic category icon.</summary>
    public static string For(string? name) =>
        name is not null && Svg.TryGetValue(name, out var svg) ? svg : Icons.Material.Filled.Category;
}
