// SPDX-License-Identifier: MIT
using Xunit;

namespace TorrentXT.Engine.Tests.Handles;

/// <summary>
/// The last error is process-global, so tests that read it run alone, after the parallel ones,
/// where no other test can overwrite it between a set and a read.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LastErrorCollection
{
    public const string Name = "process-global last error";
}
