using Grpc.AspNetCore.Server;
using Microsoft.Extensions.DependencyInjection;
using VaxCert.Grpc.Errors;

namespace VaxCert.Grpc.Hosting;

/// <summary>grpc-dotnet with VaxCert's limits and status contract.</summary>
public static class GrpcServices
{
    /// <summary>
    /// Adds grpc-dotnet with both message caps at <paramref name="maxMessageBytes"/>, detailed errors off and
    /// <see cref="StatusInterceptor"/> outermost; <paramref name="interceptors"/> adds the service's own (run in order).
    /// </summary>
    public static IGrpcServerBuilder AddVaxCertGrpc(this IServiceCollection services, int maxMessageBytes,
        Action<InterceptorCollection>? interceptors = null)
    {
        services.AddSingleton<StatusInterceptor>();
        return services.AddGrpc(o =>
        {
            o.MaxReceiveMessageSize = maxMessageBytes;
            o.MaxSendMessageSize = maxMessageBytes;
            o.EnableDetailedErrors = false;
            o.Interceptors.Add<StatusInterceptor>();
            interceptors?.Invoke(o.Interceptors);
        });
    }
}
