// SPDX-License-Identifier: MIT
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace TorrentXT.Engine.Dht;

/// <summary>
/// The few low-level libsodium entry points BEP 44 needs that NSec does not expose (signing from an
/// already expanded secret key). Source-generated P/Invokes, so they work under NativeAOT; the library
/// name is the same "libsodium" NSec loads, so one copy of libsodium.so serves both.
/// </summary>
internal static partial class LibSodium
{
    private const string Library = "libsodium";

    public const int ScalarBytes = 32;
    public const int NonReducedScalarBytes = 64;
    public const int PointBytes = 32;
    public const int Sha512Bytes = 64;

    // sodium_init itself is idempotent and thread safe; the flag only saves the native call.
    private static volatile bool s_initialised;

    /// <summary>Runs sodium_init once. libsodium requires it before any other call (it picks CPU-specific code
    /// paths and seeds its RNG); NSec would do it too, but only when one of its algorithm objects is created.</summary>
    public static void EnsureInitialised()
    {
        if (s_initialised)
            return;
        if (sodium_init() < 0)
            throw new CryptographicException("libsodium could not be initialised (sodium_init failed)");
        // The SHA-512 state lives in a managed struct; make sure it is as large as this libsodium's.
        if ((nuint)Sha512State.Size < crypto_hash_sha512_statebytes())
            throw new CryptographicException("libsodium's SHA-512 state is larger than expected");
        s_initialised = true;
    }

    [LibraryImport(Library)]
    private static partial int sodium_init();

    [LibraryImport(Library)]
    private static partial nuint crypto_hash_sha512_statebytes();

    [LibraryImport(Library)]
    public static unsafe partial int crypto_hash_sha512_init(Sha512State* state);

    [LibraryImport(Library)]
    public static unsafe partial int crypto_hash_sha512_update(Sha512State* state, byte* input, ulong length);

    [LibraryImport(Library)]
    public static unsafe partial int crypto_hash_sha512_final(Sha512State* state, byte* output64);

    [LibraryImport(Library)]
    public static unsafe partial int crypto_hash_sha512(byte* output64, byte* input, ulong length);

    /// <summary>q = n·B without clamping. Fails (−1) when n is 0 or the result is the identity.</summary>
    [LibraryImport(Library)]
    public static unsafe partial int crypto_scalarmult_ed25519_base_noclamp(byte* q32, byte* n32);

    /// <summary>r = s mod L, s being 64 little-endian bytes.</summary>
    [LibraryImport(Library)]
    public static unsafe partial void crypto_core_ed25519_scalar_reduce(byte* r32, byte* s64);

    [LibraryImport(Library)]
    public static unsafe partial void crypto_core_ed25519_scalar_mul(byte* z32, byte* x32, byte* y32);

    [LibraryImport(Library)]
    public static unsafe partial void crypto_core_ed25519_scalar_add(byte* z32, byte* x32, byte* y32);

    [LibraryImport(Library)]
    public static unsafe partial int crypto_sign_ed25519_verify_detached(byte* sig64, byte* message, ulong length, byte* pk32);

    /// <summary>libsodium's crypto_hash_sha512_state: uint64 state[8], uint64 count[2], uint8 buf[128] = 208 bytes,
    /// 8-byte aligned. Kept on the stack so hashing prefix ‖ message needs no concatenation buffer.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public unsafe struct Sha512State
    {
        public const int Size = 256; // 208 used; headroom, checked against crypto_hash_sha512_statebytes at init
        private fixed ulong _words[Size / sizeof(ulong)];
    }
}
