using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;
using Net.Pkcs11Interop.HighLevelAPI.Factories;

namespace VaxCert.Pkcs11;

/// <summary>The few session idioms VaxCert repeats, on top of Pkcs11Interop's <see cref="ISession"/>.</summary>
public static class SessionExtensions
{
    private static IObjectAttributeFactory Attributes => Pkcs11InteropRuntime.Factories.ObjectAttributeFactory;

    /// <summary>
    /// C_Login with a PIN given as bytes (Pkcs11Interop passes the array through without copying, so the caller can zero
    /// it afterwards). CKR_USER_ALREADY_LOGGED_IN counts as success: login state is per process and token.
    /// </summary>
    public static void LoginWith(this ISession session, CKU user, byte[] pin)
    {
        try
        {
            session.Login(user, pin);
        }
        catch (Pkcs11Exception e) when (e.RV == CKR.CKR_USER_ALREADY_LOGGED_IN)
        {
        }
    }

    /// <summary>Closes a session whose token, login or library may already be gone; errors are ignored on purpose.</summary>
    public static void CloseQuietly(this ISession? session)
    {
        try
        {
            session?.Dispose();
        }
        catch (Exception e) when (e is Pkcs11Exception or ObjectDisposedException)
        {
        }
    }

    /// <summary>Handles of the objects matching <paramref name="template"/>, at most <paramref name="max"/>; the search is always finalised.</summary>
    public static List<IObjectHandle> Find(this ISession session, int max, params (CKA Type, object Value)[] template)
    {
        var attributes = template.Select(t => Attribute(t.Type, t.Value)).ToList();
        try
        {
            session.FindObjectsInit(attributes);
            try
            {
                return session.FindObjects(max);
            }
            finally
            {
                session.FindObjectsFinal(); // the search is an active operation on the session
            }
        }
        finally
        {
            DisposeAll(attributes);
        }
    }

    /// <summary>
    /// Reads attribute values. An attribute the token does not have or will not reveal (sensitive) comes back null;
    /// the others are still returned.
    /// </summary>
    public static byte[]?[] ReadBytes(this ISession session, IObjectHandle handle, params CKA[] types)
    {
        var values = session.GetAttributeValue(handle, types.ToList());
        try
        {
            return values.Select(v => v.CannotBeRead ? null : v.GetValueAsByteArray() ?? []).ToArray();
        }
        finally
        {
            DisposeAll(values);
        }
    }

    /// <summary>A CK_ULONG attribute (CKA_KEY_TYPE, CKA_CLASS, ...), or null when absent.</summary>
    public static ulong? ReadULong(this ISession session, IObjectHandle handle, CKA type)
    {
        var values = session.GetAttributeValue(handle, [type]);
        try
        {
            return values[0].CannotBeRead ? null : values[0].GetValueAsUlong();
        }
        finally
        {
            DisposeAll(values);
        }
    }

    /// <summary>C_CreateObject from (type, value) pairs; values are bool, ulong, enum (CKO/CKC/CKK), string or byte[].</summary>
    public static IObjectHandle Create(this ISession session, params (CKA Type, object Value)[] template)
    {
        var attributes = template.Select(t => Attribute(t.Type, t.Value)).ToList();
        try
        {
            return session.CreateObject(attributes);
        }
        finally
        {
            DisposeAll(attributes);
        }
    }

    /// <summary>One attribute from a (type, value) pair. Caller disposes.</summary>
    public static IObjectAttribute Attribute(CKA type, object value) => value switch
    {
        bool b => Attributes.Create(type, b),
        CKO o => Attributes.Create(type, o),
        CKC c => Attributes.Create(type, c),
        CKK k => Attributes.Create(type, k),
        ulong u => Attributes.Create(type, u),
        string s => Attributes.Create(type, s),
        byte[] bytes => Attributes.Create(type, bytes),
        _ => throw new ArgumentException($"Unsupported attribute value type {value.GetType().Name}.", nameof(value)),
    };

    /// <summary>Frees the unmanaged value buffers of attributes.</summary>
    public static void DisposeAll(IEnumerable<IObjectAttribute> attributes)
    {
        foreach (var a in attributes)
            a.Dispose();
    }
}
