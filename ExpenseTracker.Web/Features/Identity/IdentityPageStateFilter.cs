using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace ExpenseTracker.Web.Features.Identity;

/// <summary>
/// The default Identity UI's pages throw <see cref="InvalidOperationException"/> when opened in a state they do not
/// expect: the two-factor sign-in pages without a password step first ("Unable to load two-factor authentication user"),
/// disabling 2FA or generating recovery codes while 2FA is off. Those are a person following an old link or pressing
/// Back, not a server fault: instead of an error page they go to the sign-in page (signed out) or to the two-factor
/// settings (signed in). Only the Identity UI package's own pages are covered; an exception from the app's own pages
/// stays an error.
/// </summary>
public sealed class IdentityPageStateFilter(ILogger<IdentityPageStateFilter> logger) : IAsyncPageFilter
{
    private const string IdentityUiAssembly = "Microsoft.AspNetCore.Identity.UI";

    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var executed = await next();
        if (executed.Exception is not InvalidOperationException exception || executed.ExceptionHandled
            || context.HandlerInstance.GetType().Assembly.GetName().Name != IdentityUiAssembly)
        {
            return;
        }

        logger.LogInformation("{Page} opened in a state it cannot handle ({Message}); redirected", context.ActionDescriptor.ViewEnginePath, exception.Message);
        executed.ExceptionHandled = true;
        executed.Result = context.HttpContext.User.Identity?.IsAuthenticated == true
            ? new RedirectToPageResult("/Account/Manage/TwoFactorAuthentication", new { area = "Identity" })
            : new RedirectToPageResult("/Account/Login", new { area = "Identity" });
    }
}
