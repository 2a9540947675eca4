using Postroom.Config.Loading;

namespace Postroom.Config.Tests;

public sealed class YamlLoaderTests
{
    [Fact]
    public void Unknown_fields_are_errors_not_silently_dropped()
    {
        var loaded = MailDomainYamlLoader.Load("typo.yaml", """
            apiVersion: postroom.io/v1alpha1
            kind: MailDomain
            metadata: { name: typo }
            spec:
              domain: example.com
              userz: []
            """);

        var error = Assert.Single(loaded.Errors);
        Assert.Equal("typo.yaml", error.Resource);
        Assert.Contains("userz", error.Message, StringComparison.Ordinal);
        Assert.Empty(loaded.MailDomains);
    }

    [Fact]
    public void Malformed_yaml_names_the_file_and_line()
    {
        var loaded = MailDomainYamlLoader.Load("broken.yaml", "apiVersion: postroom.io/v1alpha1\nkind: MailDomain\nspec: [unclosed\n");

        var error = Assert.Single(loaded.Errors);
        Assert.Equal("broken.yaml", error.Resource);
        Assert.StartsWith("line ", error.Field, StringComparison.Ordinal);
    }

    [Fact]
    public void Reads_several_documents_and_secrets_with_data_and_string_data()
    {
        var loaded = MailDomainYamlLoader.Load("multi.yaml", """
            apiVersion: v1
            kind: Secret
            metadata: { name: s, namespace: mail }
            data:
              a: aGFzaC1h
              b: aGFzaC1i
            stringData:
              b: override
            ---
            apiVersion: postroom.io/v1alpha1
            kind: MailDomain
            metadata: { name: one, namespace: mail }
            spec: { domain: one.example }
            ---
            apiVersion: postroom.io/v1alpha1
            kind: MailDomain
            metadata: { name: two, namespace: mail }
            spec: { domain: two.example }
            """);

        Assert.Empty(loaded.Errors);
        Assert.Equal(["one", "two"], loaded.MailDomains.Select(d => d.Metadata.Name));
        Assert.Equal(Compilation.SecretLookup.Found, loaded.Secrets.TryGet("mail", "s", "a", out var a));
        Assert.Equal("hash-a", a);
        loaded.Secrets.TryGet("mail", "s", "b", out var b);
        Assert.Equal("override", b);
    }

    [Fact]
    public async Task Loads_every_yaml_file_of_a_directory()
    {
        var dir = Directory.CreateTempSubdirectory("postroom-config-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(dir.FullName, "b.yml"), "apiVersion: postroom.io/v1alpha1\nkind: MailDomain\nmetadata: { name: b }\nspec: { domain: b.example }\n");
            await File.WriteAllTextAsync(Path.Combine(dir.FullName, "a.yaml"), "apiVersion: postroom.io/v1alpha1\nkind: MailDomain\nmetadata: { name: a }\nspec: { domain: a.example }\n");
            await File.WriteAllTextAsync(Path.Combine(dir.FullName, "notes.txt"), "not yaml: [");

            var loaded = await MailDomainYamlLoader.LoadDirectoryAsync(dir.FullName, CancellationToken.None);

            Assert.Empty(loaded.Errors);
            Assert.Equal(["a", "b"], loaded.MailDomains.Select(d => d.Metadata.Name));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
