package io.freshforever.pipelines.kafka;

import io.freshforever.contract.EventContract;
import java.util.Arrays;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * A Kafka value's bytes, or for a value over the contract's limit ({@link
 * EventContract#MAX_PAYLOAD_BYTES}) only its first limit + 1 bytes: enough for the parser to reject
 * it as {@code PAYLOAD_TOO_LARGE}, and all the live job carries of it.
 *
 * <p>The live job only counts a bad record; its dead letter, with the whole value and its exact
 * size, is the lake connector's. Carried whole, every record of up to the topic's 4 MiB limit would
 * be copied several times over on its way to that verdict (the DirectRunner encodes each element it
 * hands on, a bad record is encoded once more into Beam's {@code BadRecord}), and a producer sending
 * nothing else could fill a live job's heap with them.
 */
public final class CutOversizedValues implements Deserializer<byte[]> {
  @Override
  public byte[] deserialize(String topic, byte[] data) {
    return cut(data);
  }

  static byte[] cut(byte[] data) {
    return data == null || data.length <= EventContract.MAX_PAYLOAD_BYTES
        ? data
        : Arrays.copyOf(data, EventContract.MAX_PAYLOAD_BYTES + 1);
  }
}
