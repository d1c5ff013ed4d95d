using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using VaxCert.Grpc.Wire;

namespace VaxCert.Grpc.Server;

/// <summary>A unary handler: one request in, one response out. Throw <see cref="GrpcStatusException"/> to fail.</summary>
public delegate Task<TResponse> UnaryHandler<in TRequest, TResponse>(TRequest request, GrpcCallContext context);

/// <summary>A server-streaming handler: one request in, any number of responses written to the stream.</summary>
public delegate Task ServerStreamingHandler<in TRequest, TResponse>(TRequest request, GrpcStreamWriter<TResponse> responses,
    GrpcCallContext context) where TResponse : IMessage<TResponse>;

/// <summary>
/// Maps gRPC methods onto ASP.NET Core endpoints by full path ("/package.Service/Method"). Each mapping is one POST route;
/// <see cref="MapGrpcFallback"/> answers every other gRPC path with UNIMPLEMENTED. Limits come from a
/// <see cref="GrpcServerOptions"/> registered in DI, else the defaults.
/// </summary>
public static class GrpcEndpointRouteBuilderExtensions
{
    /// <summary>Maps a unary method.</summary>
    public static IEndpointConventionBuilder MapGrpcUnary<TRequest, TResponse>(this IEndpointRouteBuilder endpoints,
        string path, UnaryHandler<TRequest, TResponse> handler)
        where TRequest : IMessage<TRequest>, new() where TResponse : IMessage<TResponse>
    {
        var runner = new GrpcCallRunner(path, OptionsOf(endpoints));
        return endpoints.MapPost(path, http => runner.RunAsync(http, async context =>
        {
            var request = await ReadRequestAsync<TRequest>(context, runner.Options).ConfigureAwait(false);
            var response = await handler(request, context).ConfigureAwait(false);
            ResponseWriter.Write(context, response, runner.Options.MaxSendMessageSize);
        }));
    }

    /// <summary>Maps a server-streaming method.</summary>
    public static IEndpointConventionBuilder MapGrpcServerStreaming<TRequest, TResponse>(this IEndpointRouteBuilder endpoints,
        string path, ServerStreamingHandler<TRequest, TResponse> handler)
        where TRequest : IMessage<TRequest>, new() where TResponse : IMessage<TResponse>
    {
        var runner = new GrpcCallRunner(path, OptionsOf(endpoints));
        return endpoints.MapPost(path, http => runner.RunAsync(http, async context =>
        {
            var request = await ReadRequestAsync<TRequest>(context, runner.Options).ConfigureAwait(false);
            await handler(request, new GrpcStreamWriter<TResponse>(context, runner.Options.MaxSendMessageSize), context)
                .ConfigureAwait(false);
        }));
    }

    /// <summary>
    /// Answers requests no route matched: gRPC content types get Trailers-Only UNIMPLEMENTED (as real servers do), others 404.
    /// </summary>
    public static IEndpointConventionBuilder MapGrpcFallback(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapFallback(http =>
        {
            if (GrpcProtocol.IsGrpcContentType(http.Request.ContentType))
                StatusResponder.TrailersOnly(http.Response, GrpcCallRunner.UnknownMethod(http.Request.Path.Value));
            else
                http.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });

    private static ValueTask<T> ReadRequestAsync<T>(GrpcCallContext context, GrpcServerOptions options)
        where T : IMessage<T>, new() =>
        MessageStreamReader.ReadSingleAsync(context.Http.Request.BodyReader, ParserCache<T>.Parser,
            options.MaxReceiveMessageSize, context.CancellationToken);

    private static GrpcServerOptions OptionsOf(IEndpointRouteBuilder endpoints) =>
        endpoints.ServiceProvider.GetService<GrpcServerOptions>() ?? GrpcServerOptions.Default;
}
