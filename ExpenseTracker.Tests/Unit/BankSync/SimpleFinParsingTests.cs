using System.Text;
using ExpenseTracker.Web.Features.BankSync;
using Microsoft.Extensions.Options;

namespace ExpenseTracker.Tests.Unit.BankSync;

public sealed class SimpleFinParsingTests
{
    private static SimpleFinProvider Provider(bool allowHttp = false) =>
        new(new NoHttp(), Options.Create(new BankSyncOptions { AllowInsecureHttp = allowHttp }));

    [Fact]
    public void AccountsAndTransactionsAreReadWithExactAmountsAndPendingMarked()
    {
        const string json = """
            { "errors": ["Connection to Example Bank may need attention"],
              "accounts": [ { "org": { "domain": "bank.example", "name": "Example Bank" }, "id": "ACT-1", "name": "Checking", "currency": "EUR",
                "balance": "-1234.5", "available-balance": "10.00", "balance-date": 1763200000,
                "transactions": [
                  { "id": "T1", "posted": 1762000000, "amount": "-0.10", "description": "Fee" },
                  { "id": "T2", "posted": 0, "amount": "12.34", "description": "Shop", "pending": true },
                  { "id": "T3", "posted": 1762086400, "amount": "1000000.01", "description": "Big", "payee": "ACME", "memo": "ref 9" } ] } ] }
            """;

        var result = SimpleFinProvider.Parse(json);

        var account = Assert.Single(result.Accounts);
        Assert.Equal(("ACT-1", "Checking", "Example Bank", "EUR", -1234.5m), (account.Id, account.Name, account.Institution, account.Currency, account.Balance));
        Assert.Equal(-0.10m, account.Transactions[0].Amount);
        Assert.Equal(new DateOnly(2025, 11, 1), account.Transactions[0].PostedOn);
        Assert.True(account.Transactions[1].Pending);
        Assert.Null(account.Transactions[1].PostedOn);
        Assert.Equal((1000000.01m, "ACME", "ref 9"), (account.Transactions[2].Amount, account.Transactions[2].Payee, account.Transactions[2].Memo));
        Assert.Equal(["Connection to Example Bank may need attention"], result.Messages);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{ "errors": [] }""")]
    [InlineData("""{ "accounts": [ { "id": "A", "name": "x", "currency": "EUR", "balance": "1,5", "transactions": [] } ] }""")]
    [InlineData("""{ "accounts": [ { "id": "A", "name": "x", "currency": "EUR", "balance": "1", "transactions": [ { "posted": 1, "amount": "1" } ] } ] }""")]
    public void AnUnreadableAnswerIsBadData(string json)
    {
        var error = Assert.Throws<BankProviderException>(() => SimpleFinProvider.Parse(json));
        Assert.Equal(BankProviderErrorKind.BadData, error.Kind);
    }

    [Fact]
    public void ASetupTokenIsBase64OfAnHttpsClaimUrl()
    {
        var token = Convert.ToBase64String(Encoding.UTF8.GetBytes("https://bridge.example/simplefin/claim/ABC"));
        Assert.Equal(new Uri("https://bridge.example/simplefin/claim/ABC"), Provider().DecodeSetupToken("  " + token + "\n"));

        Assert.Equal(BankProviderErrorKind.BadInput, Assert.Throws<BankProviderException>(() => Provider().DecodeSetupToken("not a token!")).Kind);
        var http = Convert.ToBase64String(Encoding.UTF8.GetBytes("http://bridge.example/claim/ABC"));
        Assert.Contains("https", Assert.Throws<BankProviderException>(() => Provider().DecodeSetupToken(http)).Message, StringComparison.Ordinal);
        Assert.Equal("http", Provider(allowHttp: true).DecodeSetupToken(http).Scheme);
    }

    private sealed class NoHttp : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => throw new InvalidOperationException("No network in unit tests.");
    }
}
