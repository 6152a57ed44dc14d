using Google.Protobuf;
using Grpc.Core;

namespace StreamingFeatures.Bigtable;

/// <summary>The generated clients' marshalling of a message, for methods declared by hand with one side left raw.</summary>
internal static class ProtobufMarshaller
{
    public static Marshaller<T> For<T>(MessageParser<T> parser)
        where T : IMessage<T> =>
        Marshallers.Create<T>(
            (message, context) =>
            {
                context.SetPayloadLength(message.CalculateSize());
                message.WriteTo(context.GetBufferWriter());
                context.Complete();
            },
            context => parser.ParseFrom(context.PayloadAsReadOnlySequence()));
}
