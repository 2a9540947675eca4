using System.Text;
using System.Text.RegularExpressions;

namespace Postroom.Packaging.Tests;

/// <summary>
/// The rules of a <c>.dockerignore</c> as Docker applies them: a path is left out of the build context
/// when it or one of its parent folders matches a pattern; later lines win, <c>!</c> lines re-include.
/// Patterns follow Go's <c>filepath.Match</c> with <c>**</c> for any number of folders.
/// </summary>
internal sealed class DockerIgnore
{
    private readonly List<(Regex Pattern, bool Exclude)> _rules;

    private DockerIgnore(List<(Regex, bool)> rules) => _rules = rules;

    public static DockerIgnore Load(string relativePath) => Parse(File.ReadAllLines(Repository.PathOf(relativePath)));

    public static DockerIgnore Parse(IEnumerable<string> lines)
    {
        var rules = new List<(Regex, bool)>();
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var exclude = !line.StartsWith('!');
            var pattern = DockerCopy.Normalize(exclude ? line : line[1..].Trim());
            rules.Add((ToRegex(pattern), exclude));
        }

        return new DockerIgnore(rules);
    }

    /// <summary>Whether a repository-relative path (forward slashes) is left out of the context.</summary>
    public bool IsExcluded(string relativePath)
    {
        var path = DockerCopy.Normalize(relativePath);
        var candidates = new List<string> { path };
        for (var slash = path.IndexOf('/', StringComparison.Ordinal); slash > 0; slash = path.IndexOf('/', slash + 1))
        {
            candidates.Add(path[..slash]);
        }

        var excluded = false;
        foreach (var (pattern, exclude) in _rules)
        {
            if (candidates.Exists(pattern.IsMatch))
            {
                excluded = exclude;
            }
        }

        return excluded;
    }

    private static Regex ToRegex(string pattern)
    {
        var regex = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '*' && i + 1 < pattern.Length && pattern[i + 1] == '*')
            {
                // "**/" matches zero or more folders; a trailing "**" matches anything below.
                if (i + 2 < pattern.Length && pattern[i + 2] == '/')
                {
                    regex.Append("(?:.*/)?");
                    i += 2;
                }
                else
                {
                    regex.Append(".*");
                    i += 1;
                }
            }
            else if (c == '*')
            {
                regex.Append("[^/]*");
            }
            else if (c == '?')
            {
                regex.Append("[^/]");
            }
            else
            {
                regex.Append(Regex.Escape(c.ToString()));
            }
        }

        return new Regex(regex.Append('$').ToString(), RegexOptions.CultureInvariant);
    }
}
