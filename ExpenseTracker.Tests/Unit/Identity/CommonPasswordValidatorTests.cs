using ExpenseTracker.Web.Infrastructure.Passwords;

namespace ExpenseTracker.Tests.Unit.Identity;

public sealed class CommonPasswordValidatorTests
{
    private static readonly CommonPasswordValidator Validator = new();

    [Fact]
    public void TheBundledListHoldsTenThousandPasswords() => Assert.Equal(10_000, Validator.Count);

    [Theory]
    [InlineData("password")]
    [InlineData("PASSWORD")]
    [InlineData("qwertyuiop")]
    [InlineData("QwErTyUiOp")]
    [InlineData("1234567890")]
    public void CommonPasswordsAreRecognisedWhateverTheirCase(string password) => Assert.True(Validator.IsCommon(password));

    [Theory]
    [InlineData("correct horse battery staple")]
    [InlineData("my cat sleeps on the piano")]
    public void UncommonPassphrasesPass(string password) => Assert.False(Validator.IsCommon(password));

    [Fact]
    public async Task ACommonPasswordFailsValidationWithAnExplanation()
    {
        var result = await Validator.ValidateAsync(null!, new ExpenseTracker.Web.Data.AppUser(), "Password");

        var error = Assert.Single(result.Errors);
        Assert.Equal(CommonPasswordValidator.ErrorCode, error.Code);
        Assert.Contains("10,000 most common passwords", error.Description);
    }
}
