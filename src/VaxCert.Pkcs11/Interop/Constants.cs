namespace VaxCert.Pkcs11.Interop;

// PKCS#11 v2.40 constant values (checked against p11-kit's pkcs11.h). Flag groups share values, so each group is its own enum.

/// <summary>CK_RV return values the binding distinguishes. Unknown values keep their number.</summary>
public enum Ckr : ulong
{
    OK = 0x0, CANCEL = 0x1, HOST_MEMORY = 0x2, SLOT_ID_INVALID = 0x3, GENERAL_ERROR = 0x5, FUNCTION_FAILED = 0x6,
    ARGUMENTS_BAD = 0x7, CANT_LOCK = 0xA, ATTRIBUTE_READ_ONLY = 0x10, ATTRIBUTE_SENSITIVE = 0x11,
    ATTRIBUTE_TYPE_INVALID = 0x12, ATTRIBUTE_VALUE_INVALID = 0x13, DATA_INVALID = 0x20, DATA_LEN_RANGE = 0x21,
    DEVICE_ERROR = 0x30, DEVICE_MEMORY = 0x31, DEVICE_REMOVED = 0x32, FUNCTION_NOT_SUPPORTED = 0x54,
    KEY_HANDLE_INVALID = 0x60, KEY_TYPE_INCONSISTENT = 0x63, KEY_FUNCTION_NOT_PERMITTED = 0x68,
    MECHANISM_INVALID = 0x70, MECHANISM_PARAM_INVALID = 0x71, OBJECT_HANDLE_INVALID = 0x82,
    OPERATION_ACTIVE = 0x90, OPERATION_NOT_INITIALIZED = 0x91, PIN_INCORRECT = 0xA0, PIN_INVALID = 0xA1,
    PIN_LEN_RANGE = 0xA2, PIN_EXPIRED = 0xA3, PIN_LOCKED = 0xA4, SESSION_CLOSED = 0xB0, SESSION_COUNT = 0xB1,
    SESSION_HANDLE_INVALID = 0xB3, SESSION_READ_ONLY = 0xB5, SESSION_EXISTS = 0xB6, SESSION_READ_ONLY_EXISTS = 0xB7,
    SESSION_READ_WRITE_SO_EXISTS = 0xB8, SIGNATURE_INVALID = 0xC0, SIGNATURE_LEN_RANGE = 0xC1,
    TEMPLATE_INCOMPLETE = 0xD0, TEMPLATE_INCONSISTENT = 0xD1, TOKEN_NOT_PRESENT = 0xE0, TOKEN_NOT_RECOGNIZED = 0xE1,
    TOKEN_WRITE_PROTECTED = 0xE2, USER_ALREADY_LOGGED_IN = 0x100, USER_NOT_LOGGED_IN = 0x101,
    USER_PIN_NOT_INITIALIZED = 0x102, USER_TYPE_INVALID = 0x103, USER_ANOTHER_ALREADY_LOGGED_IN = 0x104,
    USER_TOO_MANY_TYPES = 0x105, BUFFER_TOO_SMALL = 0x150, CRYPTOKI_NOT_INITIALIZED = 0x190,
    CRYPTOKI_ALREADY_INITIALIZED = 0x191, FUNCTION_REJECTED = 0x200,
}

/// <summary>CK_ATTRIBUTE_TYPE values used by VaxCert.</summary>
public enum Cka : ulong
{
    CLASS = 0x0, TOKEN = 0x1, PRIVATE = 0x2, LABEL = 0x3, VALUE = 0x11, CERTIFICATE_TYPE = 0x80, SUBJECT = 0x101,
    KEY_TYPE = 0x100, ID = 0x102, SENSITIVE = 0x103, ENCRYPT = 0x104, DECRYPT = 0x105, WRAP = 0x106, UNWRAP = 0x107,
    SIGN = 0x108, VERIFY = 0x10A, DERIVE = 0x10C, MODULUS = 0x120,
    MODULUS_BITS = 0x121, PUBLIC_EXPONENT = 0x122, EXTRACTABLE = 0x162, EC_PARAMS = 0x180, EC_POINT = 0x181,
}

/// <summary>CK_OBJECT_CLASS values.</summary>
public enum Cko : ulong { DATA = 0, CERTIFICATE = 1, PUBLIC_KEY = 2, PRIVATE_KEY = 3, SECRET_KEY = 4 }

/// <summary>CK_KEY_TYPE values.</summary>
public enum Ckk : ulong { RSA = 0, EC = 3 }

/// <summary>CK_CERTIFICATE_TYPE values.</summary>
public enum Ckc : ulong { X_509 = 0 }

/// <summary>CK_USER_TYPE values.</summary>
public enum Cku : ulong { SO = 0, USER = 1 }

/// <summary>CK_MECHANISM_TYPE values.</summary>
public enum Ckm : ulong
{
    RSA_PKCS_KEY_PAIR_GEN = 0x0, RSA_PKCS = 0x1, RSA_PKCS_PSS = 0xD, SHA256_RSA_PKCS_PSS = 0x43, SHA256 = 0x250,
    EC_KEY_PAIR_GEN = 0x1040, ECDSA = 0x1041, ECDSA_SHA256 = 0x1044,
}

/// <summary>CK_RSA_PKCS_MGF_TYPE values.</summary>
public enum Ckg : ulong { MGF1_SHA256 = 0x2 }

/// <summary>Flags of CK_C_INITIALIZE_ARGS.</summary>
[Flags]
public enum InitializeFlags : ulong { None = 0, LibraryCantCreateOsThreads = 0x1, OsLockingOk = 0x2 }

/// <summary>Flags of C_OpenSession.</summary>
[Flags]
public enum SessionFlags : ulong { None = 0, ReadWrite = 0x2, Serial = 0x4 }

/// <summary>CK_STATE values of CK_SESSION_INFO.</summary>
public enum SessionState : ulong { ReadOnlyPublic = 0, ReadOnlyUser = 1, ReadWritePublic = 2, ReadWriteUser = 3, ReadWriteSo = 4 }

/// <summary>Flags of CK_TOKEN_INFO.</summary>
[Flags]
public enum TokenFlags : ulong
{
    None = 0, Rng = 0x1, WriteProtected = 0x2, LoginRequired = 0x4, UserPinInitialized = 0x8,
    TokenInitialized = 0x400, UserPinCountLow = 0x10000, UserPinFinalTry = 0x20000, UserPinLocked = 0x40000,
    UserPinToBeChanged = 0x80000,
}

/// <summary>Indexes of the functions VaxCert calls, in CK_FUNCTION_LIST order (after the CK_VERSION).</summary>
internal enum FunctionIndex
{
    C_Initialize = 0, C_Finalize = 1, C_GetSlotList = 4, C_GetTokenInfo = 6, C_InitToken = 9, C_InitPIN = 10,
    C_OpenSession = 12, C_CloseSession = 13, C_CloseAllSessions = 14, C_GetSessionInfo = 15, C_Login = 18,
    C_Logout = 19, C_CreateObject = 20, C_DestroyObject = 22, C_GetAttributeValue = 24, C_FindObjectsInit = 26,
    C_FindObjects = 27, C_FindObjectsFinal = 28, C_SignInit = 42, C_Sign = 43, C_GenerateKeyPair = 59,
}
