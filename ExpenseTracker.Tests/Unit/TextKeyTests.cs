using ExpenseTracker.Web.Infrastructure;

namespace ExpenseTracker.Tests.Unit;

public sealed class TextKeyTests
{
    [Theory]
    [InlineData("Café Zürich", "cafe zurich")]
    [InlineData("CAFÉ ZÜRICH", "cafe zurich")]
    [InlineData("Crème Brûlée", "creme brulee")]
    [InlineData("Ñandú", "nandu")]
    [InlineData("Łódź", "lodz")]
    [InlineData("Søren Æbelø", "soren aebelo")]
    [InlineData("Œuvre", "oeuvre")]
    [InlineData("Đakovo", "dakovo")]
    public void AccentsAndCaseAreFoldedAway(string text, string expected)
    {
        Assert.Equal(expected, TextKey.Fold(text));
    }

    [Theory]
    [InlineData("Straße")]
    [InlineData("STRASSE")]
    [InlineData("STRAẞE")]
    [InlineData("strasse")]
    public void EveryWayToWriteSharpSFoldsToTheSameKey(string text)
    {
        Assert.Equal("strasse", TextKey.Fold(text));
    }

    [Fact]
    public void SpacesAreTrimmedAndCollapsedSoPayeesDoNotDuplicate()
    {
        Assert.Equal("corner shop", TextKey.Fold("  Corner \t  Shop \u00A0"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void NothingFoldsToAnEmptyKey(string? text)
    {
        Assert.Equal(string.Empty, TextKey.Fold(text));
    }

    [Fact]
    public void AComposedAndADecomposedAccentFoldAlike()
    {
        Assert.Equal(TextKey.Fold("Cafe\u0301"), TextKey.Fold("Caf\u00E9"));
    }
}
