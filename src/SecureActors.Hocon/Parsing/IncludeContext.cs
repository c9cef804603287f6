using System.Reflection;

namespace SecureActors.Hocon.Parsing;

internal enum IncludeKind
{
    Heuristic,
    File,
    Url,
    Classpath,
}

internal sealed record IncludeRequest(IncludeKind Kind, string Name, bool Required, ConfigOrigin Origin);

/*
 * Locates included documents (HOCON.md "Include semantics"). Files are found relative to the including file, never
 * the working directory (a document parsed from a string uses its BaseDirectory option, else the working directory,
 * since it has no file of its own). "Classpath" resources are .NET embedded resources, looked up by their manifest
 * name in the including resource's assembly and then in every loaded assembly. A name without an extension loads
 * name.properties, name.json then name.conf, merged in that order; each is parsed in the syntax its extension names
 * (name.json as strict JSON). Missing files are ignored unless wrapped in required(…).
 */
internal sealed class IncludeContext
{
    private const int MaxIncludeDepth = 32;

    // A file that includes the next one twice, thirty levels down, asks for 2^30 documents; real configurations load
    // a few dozen. Counted over the whole parse, since the nesting bound alone does not limit the fan-out.
    internal const int MaxDocumentsPerParse = 10_000;

    private sealed class DocumentCount
    {
        public int Loaded;
    }

    private readonly DocumentCount _documents;

    private readonly string? _baseDirectory;
    private readonly Assembly? _resourceAssembly;
    private readonly IReadOnlyList<string> _chain;

    private IncludeContext(string sourceDescription, string? baseDirectory, Assembly? resourceAssembly, IReadOnlyList<string> chain, DocumentCount? documents = null)
    {
        DocumentNoun = resourceAssembly is null ? "file" : "resource";
        _documents = documents ?? new DocumentCount();
        SourceDescription = sourceDescription;
        _baseDirectory = baseDirectory;
        _resourceAssembly = resourceAssembly;
        _chain = chain;
    }

    public string SourceDescription { get; }

    /// <summary>"file" or "resource", for messages that explain how the document was read.</summary>
    public string DocumentNoun { get; }

    public static IncludeContext ForString(string description, string? baseDirectory) =>
        new(description, baseDirectory, null, [description]);

    public static IncludeContext ForFile(string path) =>
        new(path, Path.GetDirectoryName(Path.GetFullPath(path)), null, [Path.GetFullPath(path)]);

    public static IncludeContext ForResource(Assembly assembly, string name) =>
        new($"resource {name}", null, assembly, [$"resource:{name}"]);

    public ObjectNode? Include(IncludeRequest request, HoconPath prefix)
    {
        var found = new List<ObjectNode>();
        var looked = new List<string>();
        try
        {
            foreach (var candidate in Candidates(request))
            {
                looked.Add(candidate.Describe());
                var document = candidate.TryLoad(this, prefix, request);
                if (document is not null)
                {
                    found.Add(document);
                }
            }
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            // The name is not a usable path on this system (a NUL character, say); the file APIs report that with
            // argument exceptions, which must not escape as anything but a located configuration error.
            throw new HoconParseException($"cannot include \"{request.Name}\": {e.Message}", request.Origin);
        }

        if (found.Count == 0)
        {
            return request.Required
                ? throw new HoconParseException($"required include \"{request.Name}\" was not found (looked for {string.Join(", ", looked)})", request.Origin)
                : null;
        }

        var merged = found[0];
        for (var i = 1; i < found.Count; i++)
        {
            merged.AddAll(found[i]);
        }

        return merged;
    }

    private IEnumerable<Candidate> Candidates(IncludeRequest request)
    {
        var names = Path.HasExtension(request.Name) ? [request.Name] : new[] { request.Name + ".properties", request.Name + ".json", request.Name + ".conf" };
        switch (request.Kind)
        {
            case IncludeKind.File:
                return names.Select(name => (Candidate)new FileCandidate(ResolveFile(name)));
            case IncludeKind.Classpath:
                return names.Select(name => (Candidate)new ResourceCandidate(name.TrimStart('/'), _resourceAssembly));
            case IncludeKind.Url:
                if (!Uri.TryCreate(request.Name, UriKind.Absolute, out var url) || !url.IsFile)
                {
                    throw new HoconParseException($"url(\"{request.Name}\"): only file: URLs can be included; this product never fetches configuration over the network", request.Origin);
                }

                return [new FileCandidate(url.LocalPath)];
            default:
                if (Uri.TryCreate(request.Name, UriKind.Absolute, out var heuristicUrl) && heuristicUrl.IsFile && request.Name.Contains("://", StringComparison.Ordinal))
                {
                    return [new FileCandidate(heuristicUrl.LocalPath)];
                }

                if (_resourceAssembly is not null)
                {
                    return names.Select(name => (Candidate)new ResourceCandidate(name.TrimStart('/'), _resourceAssembly));
                }

                // A file that is not found falls back to an embedded resource of that name.
                return names.Select(name => (Candidate)new FileOrResourceCandidate(ResolveFile(name), name.TrimStart('/')));
        }
    }

    private string ResolveFile(string name) =>
        Path.IsPathRooted(name) ? name : Path.GetFullPath(Path.Combine(_baseDirectory ?? Directory.GetCurrentDirectory(), name));

    private ObjectNode Parse(string text, IncludeContext child, HoconPath prefix, IncludeRequest request)
    {
        if (_chain.Contains(child._chain[^1]))
        {
            throw new HoconParseException($"include cycle: {string.Join(" -> ", _chain.Append(child._chain[^1]))}", request.Origin);
        }

        if (_chain.Count >= MaxIncludeDepth)
        {
            throw new HoconParseException($"includes are nested more than {MaxIncludeDepth} deep", request.Origin);
        }

        if (++_documents.Loaded > MaxDocumentsPerParse)
        {
            throw new HoconParseException($"more than {MaxDocumentsPerParse:N0} included documents in one parse (does each file include the next more than once?)", request.Origin);
        }

        // As in Lightbend, an included document goes by its own name, never by the syntax its includer was parsed with.
        var syntax = DocumentSyntax.Choose(requested: null, child.SourceDescription, child.DocumentNoun);
        return DocumentSyntax.Parse(text, syntax, child, prefix);
    }

    private abstract record Candidate
    {
        public abstract string Describe();

        public abstract ObjectNode? TryLoad(IncludeContext parent, HoconPath prefix, IncludeRequest request);
    }

    private sealed record FileCandidate(string Path) : Candidate
    {
        public override string Describe() => Path;

        public override ObjectNode? TryLoad(IncludeContext parent, HoconPath prefix, IncludeRequest request)
        {
            string text;
            try
            {
                text = File.ReadAllText(Path);
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                return null;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new HoconParseException($"cannot read included file {Path}: {e.Message}", request.Origin);
            }

            var full = System.IO.Path.GetFullPath(Path);
            var child = new IncludeContext(Path, System.IO.Path.GetDirectoryName(full), null, [.. parent._chain, full], parent._documents);
            return parent.Parse(text, child, prefix, request);
        }
    }

    private sealed record ResourceCandidate(string Name, Assembly? Preferred) : Candidate
    {
        public override string Describe() => $"embedded resource {Name}";

        public override ObjectNode? TryLoad(IncludeContext parent, HoconPath prefix, IncludeRequest request)
        {
            var assemblies = Preferred is null ? AppDomain.CurrentDomain.GetAssemblies() : [Preferred, .. AppDomain.CurrentDomain.GetAssemblies()];
            foreach (var assembly in assemblies.Where(assembly => !assembly.IsDynamic))
            {
                using var stream = assembly.GetManifestResourceStream(Name);
                if (stream is null)
                {
                    continue;
                }

                using var reader = new StreamReader(stream);
                var child = new IncludeContext($"resource {Name}", null, assembly, [.. parent._chain, $"resource:{Name}"], parent._documents);
                return parent.Parse(reader.ReadToEnd(), child, prefix, request);
            }

            return null;
        }
    }

    private sealed record FileOrResourceCandidate(string Path, string ResourceName) : Candidate
    {
        public override string Describe() => Path;

        public override ObjectNode? TryLoad(IncludeContext parent, HoconPath prefix, IncludeRequest request) =>
            new FileCandidate(Path).TryLoad(parent, prefix, request) ?? new ResourceCandidate(ResourceName, null).TryLoad(parent, prefix, request);
    }
}
