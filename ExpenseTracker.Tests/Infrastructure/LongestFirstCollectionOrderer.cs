using Xunit.Abstractions;

[assembly: TestCollectionOrderer(
    "ExpenseTracker.Tests.Infrastructure.LongestFirstCollectionOrderer", "ExpenseTracker.Tests")]

namespace ExpenseTracker.Tests.Infrastructure;

/// <summary>
/// Starts the longest test classes first. xUnit runs as many test collections at once as there are cores (two here)
/// and by default picks them in an arbitrary order: the long browser classes used to start last and then run alone on
/// one core for a quarter of an hour. Longest first keeps both cores busy to the end. This changes only the order, never
/// which tests run or what they check; a class missing from the table runs after the listed ones (a browser class among
/// the first, as browser tests all take long).
/// </summary>
public sealed class LongestFirstCollectionOrderer : ITestCollectionOrderer
{
    private const string PerClassPrefix = "Test collection for ";
    private const string Namespace = "ExpenseTracker.Tests.";
    private const int UnlistedBrowserClassSeconds = 30;

    /// <summary>Seconds each class took in CI (mean of two whole runs on the 2-core machine); only the ranking matters.</summary>
    private static readonly Dictionary<string, int> KnownSeconds = new(StringComparer.Ordinal)
    {
        ["EndToEnd.LiveDashboardTests"] = 220,
        ["EndToEnd.ExpenseFlowTests"] = 161,
        ["EndToEnd.HouseholdFlowTests"] = 142,
        ["EndToEnd.HouseholdSwitcherTests"] = 122,
        ["Integration.Rules.RulesPageInBrowserTests"] = 119,
        ["Integration.Notifications.Scheduling.SimulatedYearTests"] = 140,
        ["EndToEnd.ImportExportFlowTests"] = 84,
        ["EndToEnd.AdminPageTests"] = 76,
        ["EndToEnd.NotificationCenterTests"] = 76,
        ["EndToEnd.ApiTokenFlowTests"] = 57,
        ["EndToEnd.BillsPageTests"] = 53,
        ["EndToEnd.BrowserSmokeTests"] = 42,
        ["Hardening.Fuzz.StatementFuzzTests"] = 42,
        ["Integration.Identity.AccountPagesInBrowserTests"] = 39,
        ["EndToEnd.Attachments.ReceiptFlowTests"] = 25,
        ["Integration.Security.AccountProtectionTests"] = 25,
        ["Integration.Hardening.Smoke.CrashSmokeTests"] = 24,
        ["EndToEnd.BackupRestoreInBrowserTests"] = 22,
        ["EndToEnd.NotificationFlowTests"] = 21,
        ["Integration.Import.ImportKillTests"] = 21,
        ["EndToEnd.Forecast.ForecastInBrowserTests"] = 21,
        ["Integration.Households.RoleMatrixTests"] = 17,
        ["EndToEnd.BankSync.BankConnectionFlowTests"] = 15,
        ["Integration.Api.ExpensesApiListTests"] = 15,
        ["Integration.Api.ExpensesApiTests"] = 14,
        ["Integration.Identity.AdminCommandsTests"] = 13,
        ["Integration.BankSync.BankSyncTests"] = 12,
        ["Integration.Admin.AdminSystemTests"] = 12,
        ["Integration.Attachments.AttachmentDownloadTests"] = 11,
        ["Integration.Notifications.Delivery.EmailDeliveryTests"] = 11,
        ["Hardening.Fuzz.FuzzedUploadTests"] = 10,
    };

    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections) =>
        testCollections.OrderByDescending(Weight).ThenBy(c => c.UniqueID).ToList();

    /// <summary>The known seconds of a class's own collection; an unlisted browser class or shared browser collection counts as long.</summary>
    public static int Weight(ITestCollection collection)
    {
        if (collection.DisplayName == BrowserCollection.Name)
        {
            return 10 * UnlistedBrowserClassSeconds;
        }

        if (!collection.DisplayName.StartsWith(PerClassPrefix, StringComparison.Ordinal))
        {
            return 0;
        }

        var className = collection.DisplayName[PerClassPrefix.Length..];
        var shortName = className.StartsWith(Namespace, StringComparison.Ordinal) ? className[Namespace.Length..] : className;
        if (KnownSeconds.TryGetValue(shortName, out var seconds))
        {
            return seconds;
        }

        var type = typeof(LongestFirstCollectionOrderer).Assembly.GetType(className);
        return type is not null && typeof(IClassFixture<BrowserFixture>).IsAssignableFrom(type) ? UnlistedBrowserClassSeconds : 0;
    }
}
