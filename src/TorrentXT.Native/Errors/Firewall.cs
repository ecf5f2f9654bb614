// SPDX-License-Identifier: MIT
namespace TorrentXT.Native.Errors;

/// <summary>
/// The exception firewall of contract §1.8: no exception may leave an exported function. Two ways
/// to use it, both allocation-free when nothing fails:
/// <code>
/// try { ...body... } catch (Exception e) { return Firewall.ActionFailed(e); }
/// </code>
/// (works with pointer arguments), or <c>Firewall.Action(state, static (s) =&gt; ...)</c> with a
/// static lambda. Each failure sets the last error to <c>ErrorText.ExceptionPrefix + message</c>.
/// </summary>
public static class Firewall
{
    /// <summary>Records a caught failure of an action and returns <see cref="BtxError.Exception"/> (-6).</summary>
    public static int ActionFailed(Exception e)
    {
        Record(e);
        return BtxError.Exception;
    }

    /// <summary>Records a caught failure of a buffer or int getter and returns 0.</summary>
    public static int GetterFailed(Exception e)
    {
        Record(e);
        return 0;
    }

    /// <summary>Records a caught failure of a void function.</summary>
    public static void VoidFailed(Exception e) => Record(e);

    public static int Action(Func<int> body)
    {
        try { return body(); }
        catch (Exception e) { return ActionFailed(e); }
    }

    public static int Action<TState>(TState state, Func<TState, int> body)
    {
        try { return body(state); }
        catch (Exception e) { return ActionFailed(e); }
    }

    public static int Getter(Func<int> body)
    {
        try { return body(); }
        catch (Exception e) { return GetterFailed(e); }
    }

    public static int Getter<TState>(TState state, Func<TState, int> body)
    {
        try { return body(state); }
        catch (Exception e) { return GetterFailed(e); }
    }

    public static void Void(Action body)
    {
        try { body(); }
        catch (Exception e) { VoidFailed(e); }
    }

    public static void Void<TState>(TState state, Action<TState> body)
    {
        try { body(state); }
        catch (Exception e) { VoidFailed(e); }
    }

    private static void Record(Exception e)
    {
        try
        {
            LastError.Set(ErrorText.ExceptionPrefix, e.Message);
        }
        catch
        {
            // Even out of memory must not cross the boundary; the return code still reports failure.
        }
    }
}
