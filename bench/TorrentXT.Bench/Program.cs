// SPDX-License-Identifier: MIT
using TorrentXT.Bench;

return args.Length > 0 && Commands.TryGet(args[0], out var command)
    ? command(args[1..])
    : Commands.Usage();
