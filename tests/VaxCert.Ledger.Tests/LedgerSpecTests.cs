using Npgsql;

namespace VaxCert.Ledger.Tests;

public sealed class LedgerSpecTests
{
    [Theory]
    [InlineData("sqlite:data/ledger.db", LedgerEngine.Sqlite, "data/ledger.db")]
    [InlineData("sqlite::memory:", LedgerEngine.Sqlite, ":memory:")]
    public void Sqlite_specs_name_the_file(string spec, LedgerEngine engine, string target)
        => Assert.Equal(new LedgerSpec(engine, target), LedgerSpec.Parse(spec));

    [Fact]
    public void Postgres_uri_becomes_an_npgsql_connection_string()
    {
        var spec = LedgerSpec.Parse("postgresql://vax%40ops:p%3Ass@db.example:6543/ledger?sslmode=require&application_name=vaxcert");

        var b = new NpgsqlConnectionStringBuilder(spec.Target);
        Assert.Equal(LedgerEngine.Postgres, spec.Engine);
        Assert.Equal(("db.example", 6543, "vax@ops", "p:ss", "ledger", SslMode.Require, "vaxcert"),
            (b.Host, b.Port, b.Username, b.Password, b.Database, b.SslMode, b.ApplicationName));
        Assert.DoesNotContain("p:ss", spec.Describe());
    }

    [Fact]
    public void Postgres_keyword_spec_is_kept()
    {
        var spec = LedgerSpec.Parse("postgres:Host=10.0.0.5;Database=vax;Username=issuer");
        Assert.Equal(("10.0.0.5", "vax", "issuer"), (new NpgsqlConnectionStringBuilder(spec.Target).Host, new NpgsqlConnectionStringBuilder(spec.Target).Database, new NpgsqlConnectionStringBuilder(spec.Target).Username));
    }

    [Theory]
    [InlineData("mysql://root:hunter2@x/db")]
    [InlineData("sqlite:")]
    [InlineData("postgres:NoSuchKeyword=hunter2")]
    [InlineData("postgresql://root:hunter2@x:notaport/db")]
    public void Malformed_specs_fail_without_echoing_secrets(string spec)
    {
        var ex = Assert.Throws<ArgumentException>(() => LedgerSpec.Parse(spec));
        Assert.DoesNotContain("hunter2", ex.Message);
    }
}
