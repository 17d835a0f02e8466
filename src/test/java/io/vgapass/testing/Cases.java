package io.vgapass.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.opentest4j.TestAbortedException;

/**
 * A property over generated values, for a JUnit 5 {@code @TestFactory}: the fixed cases first (the corners a
 * generator reaches only by luck), then {@code tries} generated ones, each a test of its own.
 *
 * <pre>{@code
 * @TestFactory
 * Stream<DynamicTest> formatThenParseIsIdentity() {
 *   return Cases.of(200, CpuListTest::cpuLists).fixed(List.of(), List.of(0)).check(cpus -> ...);
 * }
 * }</pre>
 *
 * <p>Seeds: one seed per run, {@code -Dvgapass.seed=0x...} or a random one, and from it one seed per case (mixed
 * with the test's name, so two properties over the same generator see different cases). A failing case names
 * both: {@code -Dvgapass.case=SEED} with {@code -Dtest='Class#method'} runs that one case again, {@code
 * -Dvgapass.seed} the whole run. The run seed is random by default, as jqwik's was, so every run tries new cases;
 * the printed seeds make any failure repeatable.
 */
public final class Cases<T> {
  /** The run's seed, hex ({@code 0x...}) or decimal. */
  public static final String SEED_PROPERTY = "vgapass.seed";
  /** One case's seed: the properties run only that case, none of their fixed ones. */
  public static final String CASE_PROPERTY = "vgapass.case";

  private static final long GOLDEN = 0x9E3779B97F4A7C15L;
  private static final long RUN_SEED = seedProperty(SEED_PROPERTY, ThreadLocalRandom.current().nextLong());
  private static final int NAME_LIMIT = 100;
  private static final int MESSAGE_LIMIT = 2_000;

  private final int tries;
  private final Function<Gen, ? extends T> generator;
  private final List<T> fixed = new ArrayList<>();

  private Cases(int tries, Function<Gen, ? extends T> generator) {
    this.tries = tries;
    this.generator = generator;
  }

  /** {@code tries} values of the generator, each from its own seed. */
  public static <T> Cases<T> of(int tries, Function<Gen, ? extends T> generator) {
    return new Cases<>(tries, generator);
  }

  /** Cases that run every time, before the generated ones. */
  @SafeVarargs
  public final Cases<T> fixed(T... values) {
    fixed.addAll(List.of(values));
    return this;
  }

  public Cases<T> fixed(List<? extends T> values) {
    fixed.addAll(values);
    return this;
  }

  /** The run's base seed (for tests that sample a generator themselves). */
  public static long runSeed() {
    return RUN_SEED;
  }

  /** One dynamic test per case; call it from the {@code @TestFactory} method, whose name names the property. */
  public Stream<DynamicTest> check(Consumer<? super T> property) {
    String test = callerName();
    Long only = System.getProperty(CASE_PROPERTY) == null ? null : seedProperty(CASE_PROPERTY, 0);
    if (only != null) return Stream.of(generated(test, property, "replayed case", only));
    long propertySeed = mix(RUN_SEED ^ (test.hashCode() * GOLDEN));
    Stream<DynamicTest> fixedTests = IntStream.range(0, fixed.size()).mapToObj(i -> {
      T value = fixed.get(i);
      return DynamicTest.dynamicTest("fixed " + (i + 1) + ": " + shorten(describe(value), NAME_LIMIT),
          () -> run(property, value, test + ", fixed case " + (i + 1) + ": "));
    });
    Stream<DynamicTest> generatedTests = IntStream.range(0, tries).mapToObj(i ->
        generated(test, property, "case " + (i + 1) + " of " + tries, mix(propertySeed + (i + 1) * GOLDEN)));
    return Stream.concat(fixedTests, generatedTests);
  }

  private DynamicTest generated(String test, Consumer<? super T> property, String label, long seed) {
    String hex = hex(seed);
    String thisRun = System.getProperty(CASE_PROPERTY) == null ? "; this run: -D" + SEED_PROPERTY + "=" + hex(RUN_SEED) : "";
    String where = test + ", " + label + ", seed " + hex + " (replay: -Dtest='" + test.replace('.', '#') + "' -D"
        + CASE_PROPERTY + "=" + hex + thisRun + ")";
    return DynamicTest.dynamicTest(label + ", seed " + hex, () -> {
      T value;
      try {
        value = generator.apply(new Gen(seed));
      } catch (RuntimeException e) {
        throw new AssertionError(where + ": the generator failed: " + e, e);
      }
      run(property, value, where + ": ");
    });
  }

  /** Runs the property and, if it fails, says which case it was before what failed. */
  private static <T> void run(Consumer<? super T> property, T value, String where) {
    try {
      property.accept(value);
    } catch (TestAbortedException e) {
      throw e;
    } catch (AssertionError | RuntimeException e) {
      throw new AssertionError(where + shorten(describe(value), MESSAGE_LIMIT) + "\n" + e.getMessage(), e);
    }
  }

  /** "SimpleClassName.method" of the test factory that called {@link #check}. */
  private static String callerName() {
    return StackWalker.getInstance().walk(frames -> frames
        .filter(f -> !f.getClassName().equals(Cases.class.getName()))
        .findFirst()
        .map(f -> f.getClassName().substring(f.getClassName().lastIndexOf('.') + 1) + "." + f.getMethodName())
        .orElse("?"));
  }

  /** A value as a reader needs to see it: strings quoted, with their invisible characters escaped. */
  public static String describe(Object value) {
    if (!(value instanceof String s)) return String.valueOf(value);
    StringBuilder b = new StringBuilder("\"");
    s.codePoints().forEach(c -> {
      switch (c) {
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        default -> {
          // control characters and lone surrogates (a pair is one code point here) would not show
          if (c < 0x20 || (c >= 0x7f && c < 0xa0) || (c >= 0xd800 && c <= 0xdfff)) {
            b.append(String.format("\\u%04x", c));
          } else {
            b.appendCodePoint(c);
          }
        }
      }
    });
    return b.append('"').toString();
  }

  private static String shorten(String s, int limit) {
    return s.length() <= limit ? s : s.substring(0, limit) + "... (" + s.length() + " characters)";
  }

  private static long seedProperty(String name, long otherwise) {
    String text = System.getProperty(name);
    if (text == null || text.isBlank()) return otherwise;
    String t = text.strip().toLowerCase();
    try {
      return t.startsWith("0x") ? Long.parseUnsignedLong(t.substring(2), 16) : Long.parseLong(t);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("-D" + name + "=" + text + ": not a seed; give the 0x... value a failure "
          + "printed, or a decimal number");
    }
  }

  private static String hex(long seed) {
    return String.format("0x%016x", seed);
  }

  /** SplitMix64's finaliser: neighbouring inputs give unrelated seeds. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
