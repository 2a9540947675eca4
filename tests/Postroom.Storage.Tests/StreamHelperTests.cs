using Postroom.Storage.Streams;

namespace Postroom.Storage.Tests;

/// <summary>Edge cases of the internal stream wrappers that the store tests can't reach cheaply.</summary>
public sealed class StreamHelperTests
{
    [Fact]
    public async Task CountingStream_counts_and_accepts_content_of_exactly_the_limit()
    {
        await using var counting = new CountingStream(new GeneratedStream(1000, 1), limit: 1000);
        using var copy = new MemoryStream();

        await counting.CopyToAsync(copy);

        Assert.Equal(1000, counting.BytesRead);
        Assert.Equal(GeneratedStream.Expected(1, 0, 1000), copy.ToArray());
    }

    [Fact]
    public async Task CountingStream_fails_when_the_content_is_longer_than_the_limit_even_if_the_reader_stops_there()
    {
        await using var counting = new CountingStream(new GeneratedStream(1001, 1), limit: 1000);
        var buffer = new byte[1000];

        // Like the SDK reading its last allowed part: it asks for exactly the remaining bytes.
        await Assert.ThrowsAsync<IOException>(async () => await counting.ReadAtLeastAsync(buffer, 1000));
    }

    [Fact]
    public void PrefixedStream_reads_the_head_then_the_rest()
    {
        using var prefixed = new PrefixedStream(new byte[] { 1, 2, 3 }, new MemoryStream([4, 5]));
        using var copy = new MemoryStream();

        prefixed.CopyTo(copy, 2);

        Assert.Equal([1, 2, 3, 4, 5], copy.ToArray());
    }

    [Fact]
    public void LengthLimitedStream_stops_at_the_limit_and_disposes_its_owner()
    {
        var owner = new MemoryStream();
        using (var limited = new LengthLimitedStream(new MemoryStream([1, 2, 3, 4, 5]), 3, owner))
        {
            using var copy = new MemoryStream();
            limited.CopyTo(copy);
            Assert.Equal([1, 2, 3], copy.ToArray());
        }

        Assert.False(owner.CanRead); // disposed
    }
}
