using System.Collections.Frozen;
using ExpenseTracker.Web.Data;
using Microsoft.AspNetCore.Identity;

namespace ExpenseTracker.Web.Infrastructure.Passwords;

/// <summary>
/// OWASP ASVS 5 (V6.2.4): rejects the 10,000 most common passwords, case-insensitively. The list ships beside this
/// file (see ATTRIBUTION.txt) and is read once, on first use, by this singleton.
/// </summary>
public sealed class CommonPasswordValidator : IPasswordValidator<AppUser>
{
    public const string ErrorCode = "CommonPassword";

    private readonly Lazy<FrozenSet<string>> passwords;

    public CommonPasswordValidator()
        : this(Path.Combine(AppContext.BaseDirectory, "Infrastructure", "Passwords", "common-passwords.txt"))
    {
    }

    public CommonPasswordValidator(string listPath) =>
        passwords = new Lazy<FrozenSet<string>>(() => Load(listPath), LazyThreadSafetyMode.ExecutionAndPublication);

    public int Count => passwords.Value.Count;

    public bool IsCommon(string password) => passwords.Value.Contains(password.Trim());

    public Task<IdentityResult> ValidateAsync(UserManager<AppUser> manager, AppUser user, string? password)
    {
        if (password is not null && IsCommon(password))
        {
            return Task.FromResult(IdentityResult.Failed(new IdentityError
            {
                Code = ErrorCode,
                Description = "This password is one of the 10,000 most common passwords, so it is guessed first. " +
                              "Choose a longer, less predictable one — a short sentence works well.",
            }));
        }

        return Task.FromResult(IdentityResult.Success);
    }

    private static FrozenSet<string> Load(string path) =>
        File.ReadLines(path)
            .Select(line => line.Trim())
            .Where(line => line.Length > 0)
            .ToFrozenSet(StringComparer.OrdinalIgnoreCase);
}
