using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Identity;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExpenseTracker.Tests.Integration.Identity;

public sealed class AdminCommandsTests : IAsyncLifetime
{
    private const string Password = "a long enough passphrase";
    private TestApp app = null!;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (app is not null)
        {
            await app.DisposeAsync();
        }
    }

    /// <summary>Each test runs commands on an empty instance of its own on <paramref name="provider"/>.</summary>
    private void Start(DatabaseProvider provider) => app = new TestApp(provider);

    [ProviderTheory]
    public async Task UserCreateMakesAConfirmedUserWithTheirOwnHouseholdAsRegistrationDoes(DatabaseProvider provider)
    {
        Start(provider);
        var (exit, output) = await RunAsync(Password, "user", "create", "--email", "ana@example.com", "--name", "Ana", "--household", "Casa Ana", "--currency", "JPY");

        Assert.Equal(0, exit);
        Assert.Contains("Created user ana@example.com with the household \"Casa Ana\" (JPY)", output);
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = await users.FindByEmailAsync("ana@example.com");
        Assert.NotNull(user);
        Assert.True(user.EmailConfirmed);
        Assert.False(user.IsAdministrator);
        Assert.True(await users.CheckPasswordAsync(user, Password));
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var household = await db.Households.IgnoreQueryFilters().SingleAsync();
        Assert.Equal(("Casa Ana", "JPY"), (household.Name, household.BaseCurrency));
        Assert.Equal(user.CurrentHouseholdId, household.Id);
        Assert.Equal("Ana", (await db.Members.IgnoreQueryFilters().SingleAsync(m => m.UserId == user.Id)).DisplayName);
        Assert.Equal(12, await db.Categories.IgnoreQueryFilters().CountAsync());
        Assert.Equal("Cash", (await db.Accounts.IgnoreQueryFilters().SingleAsync()).Name);
    }

    [ProviderTheory]
    public async Task UserCreateWithAdminMakesTheAdministratorAndRetiresTheSetupCode(DatabaseProvider provider)
    {
        Start(provider);
        var setupCode = Path.Combine(app.DataDirectory, "setup-code.txt");
        app.CreateClient().Dispose();
        Assert.True(File.Exists(setupCode));

        var (exit, output) = await RunAsync(Password, "user", "create", "--email", "root@example.com", "--admin");

        Assert.Equal(0, exit);
        Assert.Contains("Created administrator root@example.com", output);
        Assert.False(File.Exists(setupCode));
        await using var scope = app.Services.CreateAsyncScope();
        Assert.True((await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync("root@example.com"))!.IsAdministrator);
    }

    [ProviderTheory]
    public async Task UserCreateRefusesAWeakPasswordWithIdentitysReasons(DatabaseProvider provider)
    {
        Start(provider);
        var (common, commonOutput) = await RunAsync("qwertyuiop", "user", "create", "--email", "ana@example.com");
        var (tooShort, shortOutput) = await RunAsync("short", "user", "create", "--email", "ana@example.com");

        Assert.Equal(1, common);
        Assert.Contains("The user was not created:", commonOutput);
        Assert.Contains("one of the 10,000 most common passwords", commonOutput);
        Assert.Equal(1, tooShort);
        Assert.Contains("at least 10 characters", shortOutput);
        await using var scope = app.Services.CreateAsyncScope();
        Assert.Equal(0, await scope.ServiceProvider.GetRequiredService<AppDbContext>().Users.CountAsync());
    }

    [ProviderTheory]
    public async Task UserCreateRefusesAnEmailThatIsAlreadyTaken(DatabaseProvider provider)
    {
        Start(provider);
        await app.CreateUserWithHouseholdAsync("ana@example.com");

        var (exit, output) = await RunAsync(Password, "user", "create", "--email", "ana@example.com");

        Assert.Equal(1, exit);
        Assert.Contains("already exists", output);
    }

    [ProviderTheory]
    public async Task UserCreateWithoutAPasswordOnStandardInputCreatesNothing(DatabaseProvider provider)
    {
        Start(provider);
        var (exit, output) = await RunAsync(string.Empty, "user", "create", "--email", "ana@example.com");

        Assert.Equal(1, exit);
        Assert.Contains("No password given", output);
    }

    [ProviderTheory]
    public async Task ResetPasswordLetsThePersonSignInWithTheNewPassword(DatabaseProvider provider)
    {
        Start(provider);
        await app.CreateUserWithHouseholdAsync("ana@example.com");

        var (exit, output) = await RunAsync("a brand new passphrase", "user", "reset-password", "--email", "ana@example.com");

        Assert.Equal(0, exit);
        Assert.Contains("Changed the password of ana@example.com", output);
        var forms = new AccountForms(app);
        Assert.Equal(System.Net.HttpStatusCode.Redirect, (await forms.SignInAsync("ana@example.com", "a brand new passphrase")).StatusCode);
    }

    [ProviderTheory]
    public async Task ResetPasswordRefusesACommonPasswordAndKeepsTheOldOne(DatabaseProvider provider)
    {
        Start(provider);
        await app.CreateUserWithHouseholdAsync("ana@example.com", password: AccountForms.Password);

        var (exit, output) = await RunAsync("1234567890", "user", "reset-password", "--email", "ana@example.com");

        Assert.Equal(1, exit);
        Assert.Contains("The password was not changed:", output);
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        Assert.True(await users.CheckPasswordAsync((await users.FindByEmailAsync("ana@example.com"))!, AccountForms.Password));
    }

    [ProviderTheory]
    [InlineData("reset-password")]
    [InlineData("unlock")]
    public async Task CommandsForAnUnknownEmailFailWithAClearMessage(DatabaseProvider provider, string command)
    {
        Start(provider);
        var (exit, output) = await RunAsync(Password, "user", command, "--email", "nobody@example.com");

        Assert.Equal(1, exit);
        Assert.Contains("No user has the email nobody@example.com", output);
    }

    [ProviderTheory]
    public async Task UnlockLetsALockedOutPersonSignInAgain(DatabaseProvider provider)
    {
        Start(provider);
        await app.CreateUserWithHouseholdAsync("ana@example.com", password: AccountForms.Password);
        var forms = new AccountForms(app);
        for (var attempt = 0; attempt < 5; attempt++)
        {
            await forms.SignInAsync("ana@example.com", "wrong password " + attempt);
        }

        Assert.Contains("locked", await AccountForms.TextOf(await forms.SignInAsync("ana@example.com")));

        var (exit, output) = await RunAsync(string.Empty, "user", "unlock", "--email", "ana@example.com");

        Assert.Equal(0, exit);
        Assert.Contains("Unlocked ana@example.com", output);
        Assert.Equal(System.Net.HttpStatusCode.Redirect, (await forms.SignInAsync("ana@example.com")).StatusCode);
    }

    [ProviderTheory]
    public async Task ListShowsEveryUserWithAdminFlagLockoutAndHouseholds(DatabaseProvider provider)
    {
        Start(provider);
        await RunAsync(Password, "user", "create", "--email", "root@example.com", "--household", "Root's", "--admin");
        var (ben, _, _) = await app.CreateUserWithHouseholdAsync("ben@example.com");
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            await users.SetLockoutEndDateAsync((await users.FindByIdAsync(ben.Id))!, new DateTimeOffset(2099, 1, 2, 3, 4, 0, TimeSpan.Zero));
        }

        var (exit, output) = await RunAsync(string.Empty, "user", "list");

        Assert.Equal(0, exit);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.StartsWith("EMAIL", lines[0]);
        Assert.Matches(@"^ben@example\.com\s+no\s+2099-01-02 03:04 UTC\s+ben@example\.com's household \(Owner\)$", lines[1]);
        Assert.Matches(@"^root@example\.com\s+yes\s+-\s+Root's \(Owner\)$", lines[2]);
    }

    [Theory]
    [InlineData("user")]
    [InlineData("user frobnicate")]
    [InlineData("user create")]
    [InlineData("user create --email")]
    [InlineData("user unlock --email a@example.com --admin")]
    public async Task WrongUsageExitsWithTwoAndShowsHowToUseIt(string commandLine)
    {
        // Parsing the command line, before any database work: one provider is enough.
        Start(DatabaseProvider.Sqlite);
        var (exit, output) = await RunAsync(Password, commandLine.Split(' '));

        Assert.Equal(2, exit);
        Assert.Contains("Usage:", output);
    }

    private async Task<(int Exit, string Output)> RunAsync(string standardInput, params string[] args)
    {
        using var input = new StringReader(standardInput.Length == 0 ? string.Empty : standardInput + "\n");
        await using var output = new StringWriter();
        var exit = await AdminCommands.RunAsync(app.Services, args, input, output);
        return (exit, output.ToString());
    }
}
