using System.Xml.Linq;

namespace Postroom.Packaging.Tests;

/// <summary>A project file read as XML: what a container build needs from it, without evaluating MSBuild.</summary>
internal sealed class ProjectFile
{
    // Items whose Include may point outside the project folder and so need that folder in the image.
    private static readonly string[] InputItems = ["Protobuf", "Compile", "EmbeddedResource", "Content", "None"];

    private readonly XDocument _xml;

    private ProjectFile(string relativePath)
    {
        RelativePath = relativePath;
        _xml = XDocument.Load(Repository.PathOf(relativePath));
    }

    /// <summary>Repository-relative, e.g. <c>services/Postroom.Config/Postroom.Config.csproj</c>.</summary>
    public string RelativePath { get; }

    public string Folder => RelativePath[..RelativePath.LastIndexOf('/')];

    /// <summary><c>AssemblyName</c>, or the project file's name as MSBuild defaults it.</summary>
    public string AssemblyName =>
        Elements("AssemblyName").Select(e => e.Value.Trim()).LastOrDefault(v => v.Length > 0)
        ?? Path.GetFileNameWithoutExtension(RelativePath);

    public IEnumerable<string> ProjectReferences => Includes("ProjectReference").Select(Resolve);

    /// <summary>
    /// Folders outside this project that its items read (<c>../../protos/**/*.proto</c> → <c>protos</c>):
    /// the path up to the first wildcard.
    /// </summary>
    public IEnumerable<string> ExternalInputFolders =>
        InputItems.SelectMany(Includes)
            .Select(include => include.Replace('\\', '/'))
            .Where(include => include.StartsWith("../", StringComparison.Ordinal))
            .Select(include =>
            {
                var wildcard = include.IndexOfAny(['*', '?']);
                var literal = wildcard < 0 ? include : include[..include.LastIndexOf('/', wildcard)];
                return Resolve(literal);
            })
            .Distinct(StringComparer.Ordinal);

    public static ProjectFile Load(string relativePath) => new(relativePath);

    /// <summary>The project and every project it references, transitively, each once.</summary>
    public static IReadOnlyList<ProjectFile> Closure(string relativePath)
    {
        var seen = new Dictionary<string, ProjectFile>(StringComparer.Ordinal);
        var pending = new Stack<string>([relativePath]);
        while (pending.TryPop(out var next))
        {
            if (seen.ContainsKey(next))
            {
                continue;
            }

            var project = Load(next);
            seen.Add(next, project);
            foreach (var reference in project.ProjectReferences)
            {
                pending.Push(reference);
            }
        }

        return seen.Values.ToList();
    }

    private IEnumerable<XElement> Elements(string name) => _xml.Descendants().Where(e => e.Name.LocalName == name);

    private IEnumerable<string> Includes(string item) =>
        Elements(item)
            .Select(e => e.Attribute("Include")?.Value)
            .OfType<string>()
            .SelectMany(v => v.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    /// <summary>A path relative to this project's folder as a repository-relative one.</summary>
    private string Resolve(string pathFromProject) =>
        Repository.Relative(Path.GetFullPath(Path.Combine(Repository.PathOf(Folder), pathFromProject.Replace('\\', '/'))));
}
