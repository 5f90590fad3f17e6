using System.CommandLine;
using Registry.Cli;

var root = new RootCommand("registry: verify portable credentials and portfolios, build a portfolio, issue in bulk, audit the registry against the chain, and deploy its contract.")
{
    VerifyCommand.Create(),
    PortfolioCommand.Create(),
    IssueCommand.Create(),
    AuditCommand.Create(),
    DeployCommand.Create(),
};
// Tables for a file or a pipe get room for whole hashes; a terminal keeps its own width.
if (Console.IsOutputRedirected) Spectre.Console.AnsiConsole.Profile.Width = 240;

var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    foreach (var error in parsed.Errors) Console.Error.WriteLine(error.Message);
    Console.Error.WriteLine("Run 'registry --help' for usage.");
    return ExitCodes.BadUsage;
}
return await parsed.InvokeAsync();
