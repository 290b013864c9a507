using System.Net;
using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Tests.Integration.Households;
using ExpenseTracker.Tests.Integration.Identity;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Attachments;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace ExpenseTracker.Tests.Integration.Attachments;

/// <summary>
/// <c>GET /attachments/{id}</c> and its thumbnail over HTTP, signed in as each member of a <see cref="Family"/> and as
/// someone of another household: only those who can see the expense get the file; the rest get 404. The answer carries
/// the stored type, nosniff, a disposition with a clean name and a sandboxing policy.
/// </summary>
public sealed class AttachmentDownloadTests(AttachmentDownloadTests.SeededApps apps) : IClassFixture<AttachmentDownloadTests.SeededApps>
{
    /// <summary>The tests only read: one family with its receipts (and Eve, of another household) per provider.</summary>
    public sealed class SeededApps : ProviderFixture<Seeded>
    {
        protected override async Task<Seeded> SeedAsync(TestApp app)
        {
            // Every test signs in on this one app (from one address): the sign-in rate limit is not what they are about.
            app.With("RateLimits:SignInPermitLimit", "1000");
            var family = await Family.CreateAsync(app);
            await using (var scope = family.As("Ana"))
            {
                var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
                foreach (var name in new[] { "Ben", "Vic", "Kim" })
                {
                    var user = await users.FindByIdAsync(family.People[name].UserId);
                    Assert.True((await users.AddPasswordAsync(user!, AccountForms.Password)).Succeeded);
                }
            }

            await app.CreateUserWithHouseholdAsync("eve@example.com", password: AccountForms.Password);
            var png = ReceiptFiles.Png(300, 200);
            var anas = await family.AddAsync("Ana", 12_50);
            return new Seeded(
                app,
                png,
                Shared: await AttachmentUploadTests.UploadAsync(family, "Ana", anas, png, "Bäckerei Müller.png"),
                Pdf: await AttachmentUploadTests.UploadAsync(family, "Ana", anas, ReceiptFiles.Pdf(), "invoice.pdf"),
                BenPrivate: await AttachmentUploadTests.UploadAsync(family, "Ben", await family.AddAsync("Ben", 42_00, isPrivate: true), png, "gift.png"),
                Kims: await AttachmentUploadTests.UploadAsync(family, "Kim", await family.AddAsync("Kim", 2_00), png, "sweets.png"));
        }
    }

    public sealed record Seeded(TestApp App, byte[] Png, AttachmentInfo Shared, AttachmentInfo Pdf, AttachmentInfo BenPrivate, AttachmentInfo Kims);

    private static async Task<HttpClient> SignInAsync(TestApp app, string email)
    {
        var forms = new AccountForms(app);
        Assert.Equal(HttpStatusCode.Redirect, (await forms.SignInAsync(email)).StatusCode);
        return forms.Client;
    }

    private static Task<HttpResponseMessage> GetAsync(HttpClient client, string url) => client.GetAsync(new Uri(url, UriKind.Relative));

    [ProviderTheory]
    public async Task AnImageIsServedInlineWithItsStoredTypeNosniffAndASandbox(DatabaseProvider provider)
    {
        var (app, png, shared, _, _, _) = await apps.ForAsync(provider);
        var client = await SignInAsync(app, "ana@example.com");

        var response = await GetAsync(client, AttachmentsEndpoints.ViewUrl(shared.Id));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(png, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        var policy = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Equal(AttachmentsEndpoints.ImagePolicy, policy);
        var disposition = response.Content.Headers.ContentDisposition!;
        Assert.Equal("inline", disposition.DispositionType);
        Assert.Equal("Bäckerei Müller.png", disposition.FileNameStar);
    }

    [ProviderTheory]
    public async Task DownloadAsksTheBrowserToSaveAndThePdfIsServedAsPdf(DatabaseProvider provider)
    {
        var (app, _, shared, pdf, _, _) = await apps.ForAsync(provider);
        var client = await SignInAsync(app, "ana@example.com");

        var download = await GetAsync(client, AttachmentsEndpoints.DownloadUrl(shared.Id));
        var view = await GetAsync(client, AttachmentsEndpoints.ViewUrl(pdf.Id));

        Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("Bäckerei Müller.png", download.Content.Headers.ContentDisposition?.FileNameStar);
        Assert.Equal(HttpStatusCode.OK, view.StatusCode);
        Assert.Equal("application/pdf", view.Content.Headers.ContentType?.MediaType);
        Assert.Equal("inline", view.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal(AttachmentsEndpoints.PdfPolicy, Assert.Single(view.Headers.GetValues("Content-Security-Policy")));
        Assert.Equal("nosniff", Assert.Single(view.Headers.GetValues("X-Content-Type-Options")));
    }

    [ProviderTheory]
    public async Task TheThumbnailIsASmallImageAndAPdfHasNone(DatabaseProvider provider)
    {
        var (app, _, shared, pdf, _, _) = await apps.ForAsync(provider);
        var client = await SignInAsync(app, "vic@example.com");

        var thumbnail = await GetAsync(client, AttachmentsEndpoints.ThumbnailUrl(shared.Id));
        var none = await GetAsync(client, AttachmentsEndpoints.ThumbnailUrl(pdf.Id));

        Assert.Equal(HttpStatusCode.OK, thumbnail.StatusCode);
        Assert.Equal("image/png", thumbnail.Content.Headers.ContentType?.MediaType);
        using var image = SkiaSharp.SKBitmap.Decode(await thumbnail.Content.ReadAsByteArrayAsync());
        Assert.Equal((240, 160), (image.Width, image.Height));
        Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
    }

    public static TheoryData<string, string, HttpStatusCode> Access => new()
    {
        // The shared expense's receipt: every adult; not the child (not theirs).
        { "ana@example.com", "shared", HttpStatusCode.OK },
        { "ben@example.com", "shared", HttpStatusCode.OK },
        { "vic@example.com", "shared", HttpStatusCode.OK },
        { "kim@example.com", "shared", HttpStatusCode.NotFound },
        // A private expense's receipt: only its author.
        { "ben@example.com", "private", HttpStatusCode.OK },
        { "ana@example.com", "private", HttpStatusCode.NotFound },
        { "vic@example.com", "private", HttpStatusCode.NotFound },
        // The child's own: the child and the adults.
        { "kim@example.com", "kims", HttpStatusCode.OK },
        { "vic@example.com", "kims", HttpStatusCode.OK },
        // Someone of another household: nothing, whatever the id.
        { "eve@example.com", "shared", HttpStatusCode.NotFound },
        { "eve@example.com", "kims", HttpStatusCode.NotFound },
    };

    [ProviderTheory]
#pragma warning disable xUnit1037 // [ProviderTheory] gives the provider, the rows give the rest
    [MemberData(nameof(Access))]
#pragma warning restore xUnit1037
    public async Task OnlyMembersWhoCanSeeTheExpenseGetItsFile(DatabaseProvider provider, string email, string which, HttpStatusCode expected)
    {
        var (app, _, shared, _, benPrivate, kims) = await apps.ForAsync(provider);
        var client = await SignInAsync(app, email);
        var id = which switch { "shared" => shared.Id, "private" => benPrivate.Id, _ => kims.Id };

        var file = await GetAsync(client, AttachmentsEndpoints.ViewUrl(id));
        var thumbnail = await GetAsync(client, AttachmentsEndpoints.ThumbnailUrl(id));

        Assert.Equal(expected, file.StatusCode);
        Assert.Equal(expected, thumbnail.StatusCode);
        if (expected == HttpStatusCode.NotFound)
        {
            Assert.NotEqual("image/png", file.Content.Headers.ContentType?.MediaType);
        }
    }

    [ProviderTheory]
    public async Task SignedOutVisitorsAreSentToSignIn(DatabaseProvider provider)
    {
        var (app, _, shared, _, _, _) = await apps.ForAsync(provider);
        var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var response = await GetAsync(client, AttachmentsEndpoints.ViewUrl(shared.Id));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/Identity/Account/Login", response.Headers.Location?.ToString(), StringComparison.Ordinal);
    }
}
