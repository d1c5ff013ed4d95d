using System.Data.Common;

namespace VaxCert.Ledger.Sql;

/// <summary>Terse, provider-neutral command building.</summary>
internal static class DbCommandExtensions
{
    public static DbCommand Command(this DbConnection connection, DbTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    public static DbCommand With(this DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return command;
    }

    /// <summary>
    /// A statement for reuse row after row: parameters <c>@p0</c>..<c>@p{n-1}</c> created once, the statement prepared once;
    /// set each row's values with <see cref="Set"/>.
    /// </summary>
    public static DbCommand Reusable(this DbConnection connection, DbTransaction? transaction, string sql, int parameters)
    {
        var command = connection.Command(transaction, sql);
        for (var i = 0; i < parameters; i++)
            command.With("@p" + i, null);
        command.Prepare();
        return command;
    }

    /// <summary>Sets parameter <paramref name="index"/> of a <see cref="Reusable"/> statement.</summary>
    public static DbCommand Set(this DbCommand command, int index, object? value)
    {
        command.Parameters[index].Value = value ?? DBNull.Value;
        return command;
    }

    public static async Task<int> ExecuteAsync(this DbConnection connection, DbTransaction? transaction, string sql, CancellationToken ct)
    {
        await using var command = connection.Command(transaction, sql);
        return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }
}
