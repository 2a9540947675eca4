using System.Text;
using System.Text.Json;

namespace Postroom.Packaging.Tests;

/// <summary>One instruction: the keyword upper-cased, the arguments with line continuations joined.</summary>
internal sealed record DockerInstruction(string Keyword, string Arguments, int Line)
{
    /// <summary>The arguments split on whitespace; double quotes group and are removed.</summary>
    public IReadOnlyList<string> Tokens => Dockerfile.Tokenize(Arguments);

    /// <summary>The <c>--name=value</c> flags in front of the arguments (<c>--from</c>, <c>--chown</c>, <c>--platform</c>).</summary>
    public IReadOnlyDictionary<string, string> Flags =>
        Tokens.TakeWhile(t => t.StartsWith("--", StringComparison.Ordinal))
            .Select(t => t[2..].Split('=', 2))
            .ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "", StringComparer.Ordinal);

    /// <summary>The arguments after the flags; the exec (JSON array) form is decoded.</summary>
    public IReadOnlyList<string> Values
    {
        get
        {
            var rest = Tokens.SkipWhile(t => t.StartsWith("--", StringComparison.Ordinal)).ToList();
            var text = string.Join(' ', rest);
            return text.StartsWith('[') ? JsonSerializer.Deserialize<string[]>(Arguments[Arguments.IndexOf('[', StringComparison.Ordinal)..])! : rest;
        }
    }

    public override string ToString() => $"line {Line}: {Keyword} {Arguments}";
}

/// <summary>A build stage: its <c>FROM</c> image, optional name, and its instructions (the <c>FROM</c> first).</summary>
internal sealed record DockerStage(string Image, string? Name, IReadOnlyList<DockerInstruction> Instructions)
{
    public IEnumerable<DockerInstruction> All(string keyword) => Instructions.Where(i => i.Keyword == keyword);

    /// <summary>COPY/ADD instructions that read the build context (not <c>--from</c> another stage).</summary>
    public IEnumerable<DockerCopy> ContextCopies =>
        Instructions.Where(i => i.Keyword is "COPY" or "ADD" && !i.Flags.ContainsKey("from")).Select(DockerCopy.From);

    /// <summary>ENV pairs in order; a later value wins, as in Docker.</summary>
    public IReadOnlyDictionary<string, string> Environment
    {
        get
        {
            var env = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var instruction in All("ENV"))
            {
                foreach (var (key, value) in Dockerfile.KeyValues(instruction))
                {
                    env[key] = value;
                }
            }

            return env;
        }
    }

    /// <summary>The working directory in effect at <paramref name="index"/> (absolute, without a trailing slash).</summary>
    public string WorkdirAt(int index)
    {
        var workdir = "/";
        foreach (var instruction in Instructions.Take(index).Where(i => i.Keyword == "WORKDIR"))
        {
            var value = instruction.Values[0];
            workdir = value.StartsWith('/') ? value : workdir.TrimEnd('/') + "/" + value;
        }

        return workdir.Length > 1 ? workdir.TrimEnd('/') : workdir;
    }
}

/// <summary>A COPY or ADD from the build context: sources relative to the context, one destination.</summary>
internal sealed record DockerCopy(DockerInstruction Instruction, IReadOnlyList<string> Sources, string Destination)
{
    public static DockerCopy From(DockerInstruction instruction)
    {
        var values = instruction.Values;
        return new DockerCopy(instruction, values.Take(values.Count - 1).Select(Normalize).ToList(), values[^1]);
    }

    /// <summary><c>./services/X/</c> → <c>services/X</c>; <c>.</c> stays <c>.</c>.</summary>
    public static string Normalize(string path)
    {
        var trimmed = path.TrimStart('/');
        while (trimmed.StartsWith("./", StringComparison.Ordinal))
        {
            trimmed = trimmed[2..];
        }

        trimmed = trimmed.TrimEnd('/');
        return trimmed.Length == 0 ? "." : trimmed;
    }
}

/// <summary>
/// A Dockerfile read well enough for checks on its text: comments and blank lines dropped, line
/// continuations joined, stages split at <c>FROM</c>. No heredocs, no ARG substitution.
/// </summary>
internal sealed class Dockerfile
{
    private Dockerfile(string path, IReadOnlyList<DockerStage> stages)
    {
        Path = path;
        Stages = stages;
    }

    public string Path { get; }

    public IReadOnlyList<DockerStage> Stages { get; }

    /// <summary>The image that ships: the last stage.</summary>
    public DockerStage Final => Stages[^1];

    public static Dockerfile Load(string relativePath) => Parse(relativePath, File.ReadAllLines(Repository.PathOf(relativePath)));

    public static Dockerfile Parse(string path, IReadOnlyList<string> lines)
    {
        var stages = new List<DockerStage>();
        string? image = null;
        string? name = null;
        var instructions = new List<DockerInstruction>();
        var pending = new StringBuilder();
        var start = 0;
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                // Docker drops comment lines, even inside a continued instruction.
                continue;
            }

            if (pending.Length == 0)
            {
                start = i + 1;
            }

            var continued = line.EndsWith('\\');
            pending.Append(continued ? line[..^1] : line).Append(' ');
            if (continued)
            {
                continue;
            }

            var text = pending.ToString().Trim();
            pending.Clear();
            var space = text.IndexOfAny([' ', '\t']);
            var keyword = (space < 0 ? text : text[..space]).ToUpperInvariant();
            var arguments = space < 0 ? "" : text[(space + 1)..].Trim();
            var instruction = new DockerInstruction(keyword, arguments, start);
            if (keyword == "FROM")
            {
                if (image is not null)
                {
                    stages.Add(new DockerStage(image, name, instructions));
                }

                var values = instruction.Values;
                image = values[0];
                name = values.Count >= 3 && values[1].Equals("AS", StringComparison.OrdinalIgnoreCase) ? values[2] : null;
                instructions = [];
            }

            instructions.Add(instruction);
        }

        if (image is null)
        {
            throw new InvalidDataException($"{path} has no FROM");
        }

        stages.Add(new DockerStage(image, name, instructions));
        return new Dockerfile(path, stages);
    }

    /// <summary>Whitespace-separated tokens; double quotes group and are removed.</summary>
    public static IReadOnlyList<string> Tokenize(string text)
    {
        var tokens = new List<string>();
        var current = new StringBuilder();
        var quoted = false;
        var any = false;
        foreach (var c in text)
        {
            if (c == '"')
            {
                quoted = !quoted;
                any = true;
            }
            else if (char.IsWhiteSpace(c) && !quoted)
            {
                if (any)
                {
                    tokens.Add(current.ToString());
                    current.Clear();
                    any = false;
                }
            }
            else
            {
                current.Append(c);
                any = true;
            }
        }

        if (any)
        {
            tokens.Add(current.ToString());
        }

        return tokens;
    }

    /// <summary>The pairs of an ENV or ARG: <c>K=V K2=V2</c>, or the legacy <c>K V</c> form.</summary>
    public static IEnumerable<(string Key, string Value)> KeyValues(DockerInstruction instruction)
    {
        var tokens = instruction.Tokens;
        if (tokens.Count > 0 && !tokens[0].Contains('=', StringComparison.Ordinal))
        {
            yield return (tokens[0], string.Join(' ', tokens.Skip(1)));
            yield break;
        }

        foreach (var token in tokens)
        {
            var pair = token.Split('=', 2);
            yield return (pair[0], pair.Length > 1 ? pair[1] : "");
        }
    }
}
