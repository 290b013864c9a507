using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;

namespace ExpenseTracker.Web.Features.BankSync;

/// <summary>
/// SimpleFIN Bridge (https://www.simplefin.org/protocol.html): the setup token is base64 of a claim URL; POST to it returns
/// the access URL <c>https://user:pass@host/path</c>; GET {access URL}/accounts with HTTP Basic auth from its user info returns
/// accounts and transactions as JSON. The access URL is never logged: only the host appears in messages.
/// </summary>
public sealed class SimpleFinProvider(IHttpClientFactory httpFactory, IOptions<BankSyncOptions> options) : IBankDataProvider
{
    public const string ProviderKey = "simplefin";
    public const string HttpClientName = "simplefin";

    public string Key => ProviderKey;

    public async Task<string> ClaimAsync(string setupToken, CancellationToken cancellationToken)
    {
        var claimUrl = DecodeSetupToken(setupToken);
        using var request = new HttpRequestMessage(HttpMethod.Post, claimUrl) { Content = new ByteArrayContent([]) };
        var body = await SendAsync(request, claimUrl, "claim", cancellationToken);
        var accessUrl = body.Trim();
        if (!Uri.TryCreate(accessUrl, UriKind.Absolute, out var access) || string.IsNullOrEmpty(access.UserInfo) || !access.UserInfo.Contains(':', StringComparison.Ordinal))
        {
            throw new BankProviderException(BankProviderErrorKind.BadData, "The SimpleFIN Bridge did not answer with an access URL.");
        }

        RequireScheme(access, "access URL");
        return accessUrl;
    }

    public async Task<BankFetchResult> FetchAsync(string secret, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(secret, UriKind.Absolute, out var access) || !access.UserInfo.Contains(':', StringComparison.Ordinal))
        {
            throw new BankProviderException(BankProviderErrorKind.CredentialsRefused, "The stored access URL is not usable.");
        }

        RequireScheme(access, "access URL");
        var userInfo = access.UserInfo.Split(':', 2);
        var credentials = Uri.UnescapeDataString(userInfo[0]) + ":" + Uri.UnescapeDataString(userInfo[1]);
        var bare = new UriBuilder(access) { UserName = string.Empty, Password = string.Empty };
        var url = new Uri(bare.Uri.AbsoluteUri.TrimEnd('/') + string.Create(CultureInfo.InvariantCulture,
            $"/accounts?start-date={start.ToUnixTimeSeconds()}&end-date={end.ToUnixTimeSeconds()}&pending=1"));
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        var body = await SendAsync(request, url, "accounts", cancellationToken);
        return Parse(body);
    }

    /// <summary>The claim URL inside a setup token (base64, with or without padding, surrounding spaces ignored).</summary>
    internal Uri DecodeSetupToken(string setupToken)
    {
        var text = (setupToken ?? string.Empty).Trim();
        string decoded;
        try
        {
            var padded = text.Replace('-', '+').Replace('_', '/');
            padded += new string('=', (4 - padded.Length % 4) % 4);
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(padded)).Trim();
        }
        catch (FormatException)
        {
            throw new BankProviderException(BankProviderErrorKind.BadInput, "That is not a SimpleFIN setup token: copy the whole token the SimpleFIN Bridge shows.");
        }

        if (text.Length == 0 || !Uri.TryCreate(decoded, UriKind.Absolute, out var claim) || (claim.Scheme != Uri.UriSchemeHttps && claim.Scheme != Uri.UriSchemeHttp))
        {
            throw new BankProviderException(BankProviderErrorKind.BadInput, "That is not a SimpleFIN setup token: copy the whole token the SimpleFIN Bridge shows.");
        }

        RequireScheme(claim, "setup token");
        return claim;
    }

    private void RequireScheme(Uri uri, string what)
    {
        if (uri.Scheme != Uri.UriSchemeHttps && !(options.Value.AllowInsecureHttp && uri.Scheme == Uri.UriSchemeHttp))
        {
            throw new BankProviderException(BankProviderErrorKind.BadInput, $"The {what} does not use https, so it is refused: the connection would carry bank credentials unencrypted.");
        }
    }

    private async Task<string> SendAsync(HttpRequestMessage request, Uri url, string what, CancellationToken cancellationToken)
    {
        var http = httpFactory.CreateClient(HttpClientName);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new BankProviderException(BankProviderErrorKind.Unavailable, $"{url.Host} did not answer in time.", inner: e);
        }
        catch (HttpRequestException e)
        {
            throw new BankProviderException(BankProviderErrorKind.Unavailable, $"{url.Host} could not be reached.", inner: e);
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            if (response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized)
            {
                throw new BankProviderException(BankProviderErrorKind.CredentialsRefused, what == "claim"
                    ? "The SimpleFIN Bridge refused this setup token: it was already used or has expired. Create a new one."
                    : "The SimpleFIN Bridge refused the access: the connection expired or was revoked.");
            }

            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                throw new BankProviderException(BankProviderErrorKind.RateLimited, "The SimpleFIN Bridge asked to slow down (too many requests).", RetryAfterOf(response));
            }

            if (status >= 500 || response.StatusCode == HttpStatusCode.RequestTimeout)
            {
                throw new BankProviderException(BankProviderErrorKind.Unavailable, string.Create(CultureInfo.InvariantCulture, $"{url.Host} answered with an error ({status})."),
                    RetryAfterOf(response));
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new BankProviderException(BankProviderErrorKind.BadData, string.Create(CultureInfo.InvariantCulture, $"{url.Host} refused the {what} request ({status})."));
            }

            try
            {
                return await response.Content.ReadAsStringAsync(cancellationToken);
            }
            catch (HttpRequestException e)
            {
                throw new BankProviderException(BankProviderErrorKind.Unavailable, $"{url.Host} broke off its answer.", inner: e);
            }
        }
    }

    private static TimeSpan? RetryAfterOf(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - DateTimeOffset.UtcNow is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
        _ => null,
    };

    internal static BankFetchResult Parse(string json)
    {
        AccountSet? set;
        try
        {
            set = JsonSerializer.Deserialize<AccountSet>(json, JsonOptions);
        }
        catch (JsonException e)
        {
            throw new BankProviderException(BankProviderErrorKind.BadData, "The SimpleFIN Bridge sent an answer that is not the expected JSON.", inner: e);
        }

        if (set?.Accounts is null)
        {
            throw new BankProviderException(BankProviderErrorKind.BadData, "The SimpleFIN Bridge sent no account list.");
        }

        var accounts = new List<BankAccountData>();
        foreach (var account in set.Accounts)
        {
            if (string.IsNullOrWhiteSpace(account.Id))
            {
                throw new BankProviderException(BankProviderErrorKind.BadData, "The SimpleFIN Bridge sent an account without an id.");
            }

            var transactions = new List<BankTransactionData>();
            foreach (var t in account.Transactions ?? [])
            {
                if (string.IsNullOrWhiteSpace(t.Id))
                {
                    throw new BankProviderException(BankProviderErrorKind.BadData, $"The SimpleFIN Bridge sent a transaction without an id in {account.Name}.");
                }

                var pending = t.Pending == true || t.Posted is null or 0;
                transactions.Add(new BankTransactionData(
                    t.Id,
                    pending ? null : DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeSeconds(t.Posted!.Value).UtcDateTime),
                    Amount(t.Amount, account.Name) ?? throw new BankProviderException(BankProviderErrorKind.BadData, $"A transaction in {account.Name} has no amount."),
                    Blank(t.Description),
                    Blank(t.Payee),
                    Blank(t.Memo),
                    pending));
            }

            accounts.Add(new BankAccountData(
                account.Id,
                Blank(account.Name) ?? account.Id,
                Blank(account.Org?.Name) ?? Blank(account.Org?.Domain),
                (Blank(account.Currency) ?? "USD").ToUpperInvariant(),
                Amount(account.Balance, account.Name),
                account.BalanceDate is { } at and > 0 ? DateTimeOffset.FromUnixTimeSeconds(at) : null,
                transactions));
        }

        return new BankFetchResult(accounts, [.. (set.Errors ?? []).Where(e => !string.IsNullOrWhiteSpace(e))]);
    }

    private static decimal? Amount(string? text, string? account)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new BankProviderException(BankProviderErrorKind.BadData, $"The SimpleFIN Bridge sent an amount that is not a number in {account}.");
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static readonly JsonSerializerOptions JsonOptions = new() { NumberHandling = JsonNumberHandling.AllowReadingFromString };

    private sealed record AccountSet(
        [property: JsonPropertyName("errors")] List<string>? Errors,
        [property: JsonPropertyName("accounts")] List<AccountJson>? Accounts);

    private sealed record OrgJson(
        [property: JsonPropertyName("domain")] string? Domain,
        [property: JsonPropertyName("name")] string? Name);

    private sealed record AccountJson(
        [property: JsonPropertyName("org")] OrgJson? Org,
        [property: JsonPropertyName("id")] string? Id,
        [property: JsonPropertyName("name")] string? Name,
        [property: JsonPropertyName("currency")] string? Currency,
        [property: JsonPropertyName("balance")] string? Balance,
        [property: JsonPropertyName("balance-date")] long? BalanceDate,
        [property: JsonPropertyName("transactions")] List<TransactionJson>? Transactions);

    private sealed record TransactionJson(
        [property: JsonPropertyName("id")] string? Id,
        [property: JsonPropertyName("posted")] long? Posted,
        [property: JsonPropertyName("amount")] string? Amount,
        [property: JsonPropertyName("description")] string? Description,
        [property: JsonPropertyName("payee")] string? Payee,
        [property: JsonPropertyName("memo")] string? Memo,
        [property: JsonPropertyName("pending")] bool? Pending);
}
