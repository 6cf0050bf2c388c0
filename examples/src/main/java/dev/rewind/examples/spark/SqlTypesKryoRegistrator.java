package dev.rewind.examples.spark;

import com.esotericsoftware.kryo.Kryo;
import org.apache.spark.serializer.KryoRegistrator;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BinaryType$;
import org.apache.spark.sql.types.BooleanType$;
import org.apache.spark.sql.types.ByteType$;
import org.apache.spark.sql.types.CalendarIntervalType$;
import org.apache.spark.sql.types.DateType$;
import org.apache.spark.sql.types.DayTimeIntervalType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType$;
import org.apache.spark.sql.types.FloatType$;
import org.apache.spark.sql.types.IntegerType$;
import org.apache.spark.sql.types.LongType$;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.NullType$;
import org.apache.spark.sql.types.ShortType$;
import org.apache.spark.sql.types.StringType$;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampNTZType$;
import org.apache.spark.sql.types.TimestampType$;
import org.apache.spark.sql.types.YearMonthIntervalType;

/**
 * Registers Spark SQL's schema types with Kryo. Reading Parquet runs a job whose tasks return the
 * files' schemas; with {@code spark.kryo.registrationRequired=true} every type in them must be
 * registered. Use it next to the connector's registrator: {@code
 * spark.kryo.registrator=dev.rewind.spark.RewindKryoRegistrator,}{@value #NAME}.
 */
public final class SqlTypesKryoRegistrator implements KryoRegistrator {
  /** This class's name, for {@code spark.kryo.registrator}. */
  public static final String NAME = "dev.rewind.examples.spark.SqlTypesKryoRegistrator";

  @Override
  public void registerClasses(Kryo kryo) {
    for (Class<?> c :
        new Class<?>[] {
          StructType.class,
          StructField.class,
          StructField[].class,
          Metadata.class,
          ArrayType.class,
          MapType.class,
          DecimalType.class,
          DayTimeIntervalType.class,
          YearMonthIntervalType.class,
          BinaryType$.class,
          BooleanType$.class,
          ByteType$.class,
          ShortType$.class,
          IntegerType$.class,
          LongType$.class,
          FloatType$.class,
          DoubleType$.class,
          StringType$.class,
          DateType$.class,
          TimestampType$.class,
          TimestampNTZType$.class,
          CalendarIntervalType$.class,
          NullType$.class
        }) {
      kryo.register(c);
    }
  }
}
