package io.freshforever.contract;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.InstantCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;

/**
 * Compact deterministic coder for {@link Event}; hand-written because events cross every shuffle on
 * the hot path, where a reflective schema coder costs several times more.
 */
public final class EventCoder extends AtomicCoder<Event> {
  private static final EventCoder INSTANCE = new EventCoder();
  private static final StringUtf8Coder STRING = StringUtf8Coder.of();
  private static final NullableCoder<String> OPTIONAL_STRING = NullableCoder.of(STRING);

  public static EventCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(Event value, OutputStream out) throws IOException {
    STRING.encode(value.eventId(), out);
    STRING.encode(value.eventType(), out);
    InstantCoder.of().encode(value.eventTime(), out);
    OPTIONAL_STRING.encode(value.userId(), out);
    OPTIONAL_STRING.encode(value.propertiesJson(), out);
    InstantCoder.of().encode(value.ingestTime(), out);
    VarIntCoder.of().encode(value.kafkaPartition(), out);
    VarLongCoder.of().encode(value.kafkaOffset(), out);
    STRING.encode(value.payload(), out);
  }

  @Override
  public Event decode(InputStream in) throws IOException {
    return Event.builder()
        .eventId(STRING.decode(in))
        .eventType(STRING.decode(in))
        .eventTime(InstantCoder.of().decode(in))
        .userId(OPTIONAL_STRING.decode(in))
        .propertiesJson(OPTIONAL_STRING.decode(in))
        .ingestTime(InstantCoder.of().decode(in))
        .kafkaPartition(VarIntCoder.of().decode(in))
        .kafkaOffset(VarLongCoder.of().decode(in))
        .payload(STRING.decode(in))
        .build();
  }

  @Override
  public void verifyDeterministic() {}
}
