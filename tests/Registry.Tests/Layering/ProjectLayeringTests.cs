using System.Reflection;
using System.Xml.Linq;
using Registry.Tests.Infrastructure;

namespace Registry.Tests.Layering;

/// <summary>
/// The layering of docs/DESIGN.md ("Layering"), held twice: in each project file (its SDK, project,
/// package and framework references) and in each built assembly's references, so that neither a
/// reference added by hand nor one brought in through another package slips past.
/// </summary>
public sealed class ProjectLayeringTests
{
    /// <summary>A project, the projects it may reference, and the packages and assemblies it must not (by name prefix).</summary>
    public sealed record Layer(string Project, string[] MayReference, string[] MustNotUse, bool WebSdk = false);

    private static readonly string[] Web = ["Microsoft.AspNetCore", "Scalar", "Microsoft.Extensions.Hosting"];
    private static readonly string[] Storage = ["LiteDB", "Npgsql"];
    private static readonly string[] Ethereum = ["Nethereum"];
    private static readonly string[] Console = ["System.CommandLine", "Spectre.Console"];
    // libsodium is native code, which WebAssembly cannot load: the verification pipeline and the browser keep the managed Ed25519.
    private static readonly string[] Native = ["NSec", "libsodium"];

    public static readonly Layer[] Layers =
    [
        new("Registry.Core", [], [.. Web, .. Storage, .. Ethereum, .. Console, .. Native]),
        new("Registry.Verification.Rpc", ["Registry.Core"], [.. Web, .. Storage, .. Ethereum, .. Console]),
        new("Registry.Chain", ["Registry.Core", "Registry.Verification.Rpc"], [.. Web, .. Storage, .. Console]),
        new("Registry.Verifier", ["Registry.Core", "Registry.Verification.Rpc"], [.. Storage, .. Ethereum, .. Console, .. Native, "Scalar"], WebSdk: true),
        new("Registry.Cli", ["Registry.Core", "Registry.Chain", "Registry.Verification.Rpc"], [.. Web, .. Storage]),
        new("Registry.Api", ["Registry.Core", "Registry.Chain", "Registry.Verification.Rpc"], [.. Console], WebSdk: true),
    ];

    public static TheoryData<string> Projects => new(Layers.Select(l => l.Project));

    /// <summary>The assemblies the test project has beside it (the page, built for WebAssembly, is checked by its project file).</summary>
    public static TheoryData<string> BuiltProjects => new(Layers.Select(l => l.Project).Where(p => p != "Registry.Verifier"));

    [Fact]
    public void Every_project_of_the_source_tree_has_its_layer()
    {
        var onDisk = Directory.GetDirectories(Path.Combine(RepositoryRoot.Path, "src"))
            .Where(d => Directory.EnumerateFiles(d, "*.csproj").Any()).Select(Path.GetFileName).Order();
        Assert.Equal(Layers.Select(l => l.Project).Order(), onDisk);
    }

    [Theory]
    [MemberData(nameof(Projects))]
    public void A_project_file_references_only_what_its_layer_allows(string project)
    {
        var layer = Layers.Single(l => l.Project == project);
        var file = ProjectFile(project);
        var sdk = file.Root!.Attribute("Sdk")?.Value ?? "";

        var projects = file.Descendants("ProjectReference").Select(r => Path.GetFileNameWithoutExtension(r.Attribute("Include")!.Value));
        Assert.All(projects, referenced => Assert.True(layer.MayReference.Contains(referenced), $"{project} references {referenced}, which its layer does not allow."));
        var packages = file.Descendants("PackageReference").Concat(file.Descendants("FrameworkReference")).Select(r => r.Attribute("Include")!.Value);
        Assert.All(packages, package => Assert.False(Forbidden(layer, package), $"{project} references {package}, which its layer must not use."));
        if (!layer.WebSdk) Assert.Equal("Microsoft.NET.Sdk", sdk);
    }

    [Theory]
    [MemberData(nameof(BuiltProjects))]
    public void A_built_assembly_references_only_what_its_layer_allows(string project)
    {
        var layer = Layers.Single(l => l.Project == project);
        var assemblyName = ProjectFile(project).Descendants("AssemblyName").FirstOrDefault()?.Value ?? project;
        var referenced = Assembly.Load(assemblyName).GetReferencedAssemblies().Select(a => a.Name!).ToList();
        Assert.NotEmpty(referenced);
        var ours = Layers.Select(l => l.Project).ToHashSet();
        Assert.All(referenced, name =>
        {
            Assert.False(ours.Contains(name) && !layer.MayReference.Contains(name), $"{project}.dll references {name}, which its layer does not allow.");
            Assert.False(Forbidden(layer, name), $"{project}.dll references {name}, which its layer must not use.");
        });
    }

    /// <summary>The checks themselves can fail: a reference the Core must not have is named as forbidden.</summary>
    [Theory]
    [InlineData("Microsoft.AspNetCore.App")]
    [InlineData("Microsoft.AspNetCore.Http.Abstractions")]
    [InlineData("LiteDB")]
    [InlineData("Nethereum.Web3")]
    public void The_core_may_not_use_the_web_the_store_or_ethereum(string reference) =>
        Assert.True(Forbidden(Layers.Single(l => l.Project == "Registry.Core"), reference));

    private static XDocument ProjectFile(string project) => XDocument.Load(Path.Combine(RepositoryRoot.Path, "src", project, $"{project}.csproj"));

    private static bool Forbidden(Layer layer, string reference) =>
        layer.MustNotUse.Any(prefix => reference == prefix || reference.StartsWith(prefix + ".", StringComparison.Ordinal));
}
