using ExpenseTracker.Web.Features.Identity;

namespace ExpenseTracker.Tests.Unit.Identity;

public sealed class SetupCodeTests
{
    [Fact]
    public void ASetupCodeIsThreeGroupsOfFourUnambiguousCharacters()
    {
        var codes = Enumerable.Range(0, 200).Select(_ => FirstRunSetup.Generate()).ToList();

        Assert.All(codes, code => Assert.Matches("^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$", code));
        Assert.All(codes, code => Assert.DoesNotMatch("[01258BILOSZ]", code));
        Assert.True(codes.Distinct().Count() > 195, "Codes are random.");
    }

    [Theory]
    [InlineData("ACDE-FGHJ-KMNP")]
    [InlineData("acde-fghj-kmnp")]
    [InlineData("ACDE FGHJ KMNP")]
    [InlineData(" acdefghjkmnp ")]
    public void ASetupCodeMatchesWhateverTheCaseSpacesOrDashes(string typed) =>
        Assert.True(FirstRunSetup.Matches("ACDE-FGHJ-KMNP", typed));

    [Theory]
    [InlineData("ACDE-FGHJ-KMNQ")]
    [InlineData("ACDE-FGHJ")]
    [InlineData("")]
    public void AnyOtherCodeDoesNotMatch(string typed) =>
        Assert.False(FirstRunSetup.Matches("ACDE-FGHJ-KMNP", typed));
}
