namespace VaxCert.Verifier.Rules;

/// <summary>Why a CertLogic evaluation produced no value. Stable names; documented in docs/verifier.md.</summary>
public enum CertLogicFailure
{
    /// <summary>The evaluation produced a value.</summary>
    None = 0,
    /// <summary>The expression or data is not JSON, or nests deeper than the cap.</summary>
    InvalidJson,
    /// <summary>Not a CertLogic expression: unknown operator, wrong operand count, a literal that is not allowed.</summary>
    InvalidExpression,
    /// <summary>An operand has a type the operator does not accept (e.g. <c>&lt;</c> on strings, <c>in</c> on a non-array).</summary>
    TypeMismatch,
    /// <summary>A guard or <c>and</c>/<c>!</c> operand is neither truthy nor falsy.</summary>
    NotBoolsy,
    /// <summary>A date or date-time string is not in an allowed format, is not a real date, or leaves the supported range.</summary>
    InvalidDate,
    /// <summary>The evaluation took more steps than the budget allows (hostile or runaway <c>reduce</c>).</summary>
    BudgetExceeded,
}

/// <summary>
/// The value of a CertLogic expression, or a typed failure. Values are <c>null</c>, <see cref="bool"/>, <see cref="long"/>
/// (integers), <see cref="double"/> (non-integer numbers from the data), <see cref="string"/>,
/// <see cref="IReadOnlyList{T}"/> of values (arrays), <see cref="IReadOnlyDictionary{TKey,TValue}"/> of values (objects)
/// and <see cref="DateTimeOffset"/> (date-times, UTC, millisecond precision; only plusTime and dccDateOfBirth make them).
/// </summary>
public sealed record CertLogicResult(object? Value, CertLogicFailure Failure, string? Message)
{
    /// <summary>True when a value was produced.</summary>
    public bool Succeeded => Failure == CertLogicFailure.None;

    /// <summary>True when a value was produced and it is truthy by CertLogic's definition.</summary>
    public bool IsTruthy => Succeeded && CertLogicValues.Boolsiness(Value) == true;

    internal static CertLogicResult Of(object? value) => new(value, CertLogicFailure.None, null);
}

/// <summary>Caps on one evaluation (rules and data may come from outside).</summary>
/// <param name="MaxSteps">Operations evaluated in total, including every <c>reduce</c> step.</param>
/// <param name="MaxDepth">Nesting of the expression and of the data (JSON depth).</param>
public sealed record CertLogicLimits(int MaxSteps = 100_000, int MaxDepth = 64)
{
    /// <summary>The defaults: far above any EU rule (a few hundred steps), far below a noticeable delay.</summary>
    public static CertLogicLimits Default { get; } = new();
}
