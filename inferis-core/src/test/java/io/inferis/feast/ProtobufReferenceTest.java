package io.inferis.feast;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumDescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumValueDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Label;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.MessageOptions;
import com.google.protobuf.DescriptorProtos.OneofDescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Checks {@link ValueCodec} against protobuf-java's own reflection-based parser and serializer,
 * over a {@code Value} schema written from SPEC §3 (not copied from Feast). Protobuf re-encoding
 * our bytes must give the same bytes, so packing, default scalars and field numbers agree.
 */
class ProtobufReferenceTest {

  private static Descriptor value;

  @BeforeAll
  static void buildSchema() throws DescriptorValidationException {
    DescriptorProto.Builder valueType = DescriptorProto.newBuilder().setName("Value");
    valueType.addOneofDecl(OneofDescriptorProto.newBuilder().setName("val"));
    valueType.addEnumType(
        EnumDescriptorProto.newBuilder()
            .setName("Null")
            .addValue(EnumValueDescriptorProto.newBuilder().setName("NULL").setNumber(0)));
    FileDescriptorProto.Builder file =
        FileDescriptorProto.newBuilder()
            .setName("value_reference.proto")
            .setPackage("ref")
            .setSyntax("proto3");
    file.addMessageType(list("BytesList", Type.TYPE_BYTES));
    file.addMessageType(list("StringList", Type.TYPE_STRING));
    file.addMessageType(list("Int32List", Type.TYPE_INT32));
    file.addMessageType(list("Int64List", Type.TYPE_INT64));
    file.addMessageType(list("DoubleList", Type.TYPE_DOUBLE));
    file.addMessageType(list("FloatList", Type.TYPE_FLOAT));
    file.addMessageType(list("BoolList", Type.TYPE_BOOL));
    file.addMessageType(
        DescriptorProto.newBuilder()
            .setName("Map")
            .addNestedType(
                DescriptorProto.newBuilder()
                    .setName("ValEntry")
                    .setOptions(MessageOptions.newBuilder().setMapEntry(true))
                    .addField(field("key", 1, Type.TYPE_STRING, null, Label.LABEL_OPTIONAL))
                    .addField(
                        field("value", 2, Type.TYPE_MESSAGE, ".ref.Value", Label.LABEL_OPTIONAL)))
            .addField(
                field("val", 1, Type.TYPE_MESSAGE, ".ref.Map.ValEntry", Label.LABEL_REPEATED)));
    file.addMessageType(
        message("MapList", field("val", 1, Type.TYPE_MESSAGE, ".ref.Map", Label.LABEL_REPEATED)));
    file.addMessageType(
        message(
            "RepeatedValue",
            field("val", 1, Type.TYPE_MESSAGE, ".ref.Value", Label.LABEL_REPEATED)));
    file.addMessageType(
        message(
                "ZonedTimestamp",
                field("unix_timestamp", 1, Type.TYPE_INT64, null, Label.LABEL_OPTIONAL))
            .addField(field("zone", 2, Type.TYPE_STRING, null, Label.LABEL_OPTIONAL)));
    file.addMessageType(DescriptorProto.newBuilder().setName("ScalarMap"));
    for (ValueType type : ValueType.values()) {
      if (type != ValueType.INVALID) {
        valueType.addField(oneofField(type));
      }
    }
    file.addMessageType(valueType);
    value =
        FileDescriptor.buildFrom(file.build(), new FileDescriptor[0])
            .findMessageTypeByName("Value");
  }

  @Test
  void protobufReencodesEverySample_toTheSameBytes() throws InvalidProtocolBufferException {
    for (FeatureValue sample : Samples.oneOfEachType().values()) {
      assertSameAsProtobuf(sample);
    }
  }

  @Test
  void protobufReencodesRandomValues_toTheSameBytes() throws InvalidProtocolBufferException {
    Random random = new Random(2024);
    for (int i = 0; i < 3_000; i++) {
      assertSameAsProtobuf(Samples.random(random, 3));
    }
  }

  private static void assertSameAsProtobuf(FeatureValue sample)
      throws InvalidProtocolBufferException {
    byte[] ours = ValueCodec.encode(sample);
    DynamicMessage parsed = DynamicMessage.parseFrom(value, ours);
    FieldDescriptor set = parsed.getOneofFieldDescriptor(value.getOneofs().get(0));

    assertThat(parsed.toByteArray()).as(sample.toString()).isEqualTo(ours);
    assertThat(parsed.getUnknownFields().asMap()).as(sample.toString()).isEmpty();
    assertThat(set == null ? 0 : set.getNumber())
        .as(sample.toString())
        .isEqualTo(sample.type().number());
  }

  private static FieldDescriptorProto oneofField(ValueType type) {
    String name = type.name().toLowerCase(java.util.Locale.ROOT) + "_val";
    FieldDescriptorProto.Builder field =
        FieldDescriptorProto.newBuilder().setName(name).setNumber(type.number()).setOneofIndex(0);
    switch (type.shape()) {
      case NULL -> field.setType(Type.TYPE_ENUM).setTypeName(".ref.Value.Null");
      case BYTES -> field.setType(Type.TYPE_BYTES);
      case STRING -> field.setType(Type.TYPE_STRING);
      case INT32 -> field.setType(Type.TYPE_INT32);
      case INT64 -> field.setType(Type.TYPE_INT64);
      case DOUBLE -> field.setType(Type.TYPE_DOUBLE);
      case FLOAT -> field.setType(Type.TYPE_FLOAT);
      case BOOL -> field.setType(Type.TYPE_BOOL);
      default -> field.setType(Type.TYPE_MESSAGE).setTypeName(".ref." + messageName(type.shape()));
    }
    return field.build();
  }

  private static String messageName(Shape shape) {
    return switch (shape) {
      case BYTES_LIST -> "BytesList";
      case STRING_LIST -> "StringList";
      case INT32_LIST -> "Int32List";
      case INT64_LIST -> "Int64List";
      case DOUBLE_LIST -> "DoubleList";
      case FLOAT_LIST -> "FloatList";
      case BOOL_LIST -> "BoolList";
      case MAP -> "Map";
      case MAP_LIST -> "MapList";
      case VALUE_LIST -> "RepeatedValue";
      case ZONED -> "ZonedTimestamp";
      case RAW -> "ScalarMap";
      default -> throw new IllegalArgumentException(shape.name());
    };
  }

  private static DescriptorProto list(String name, Type element) {
    return message(name, field("val", 1, element, null, Label.LABEL_REPEATED)).build();
  }

  private static DescriptorProto.Builder message(String name, FieldDescriptorProto field) {
    return DescriptorProto.newBuilder().setName(name).addField(field);
  }

  private static FieldDescriptorProto field(
      String name, int number, Type type, String typeName, Label label) {
    FieldDescriptorProto.Builder field =
        FieldDescriptorProto.newBuilder()
            .setName(name)
            .setNumber(number)
            .setType(type)
            .setLabel(label);
    if (typeName != null) {
      field.setTypeName(typeName);
    }
    return field.build();
  }
}
