package io.vgapass.testing;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A seeded source of test values: the few generators the property tests need (see {@link Cases}).
 *
 * <p>Everything is drawn from one {@link SplittableRandom}, so the same seed gives the same values on
 * every machine and JDK. Ranges lean towards their ends (one draw in eight is the minimum or the
 * maximum), because that is where the bugs live: empty and one-element lists, the largest shapes.
 */
public final class Gen {
  /** How often a whole-range draw is replaced by one of its ends: 1 in {@value}. */
  private static final int END_ONE_IN = 8;
  /** An {@link #until} that has not found a value after this many draws has a generator that cannot. */
  private static final int UNTIL_LIMIT = 10_000;

  private final SplittableRandom random;

  public Gen(long seed) {
    random = new SplittableRandom(seed);
  }

  /** An int from min to max, both included; the ends come up more often than uniform. */
  public int between(int min, int max) {
    if (min > max) throw new IllegalArgumentException("between(" + min + ", " + max + "): min is above max");
    if (random.nextInt(END_ONE_IN) == 0) return random.nextBoolean() ? min : max;
    return (int) random.nextLong(min, (long) max + 1);
  }

  /** An int from min to max, both included, every value equally likely. */
  public int uniform(int min, int max) {
    if (min > max) throw new IllegalArgumentException("uniform(" + min + ", " + max + "): min is above max");
    return (int) random.nextLong(min, (long) max + 1);
  }

  public boolean bool() {
    return random.nextBoolean();
  }

  /** True once in {@code n} draws on average. */
  public boolean oneIn(int n) {
    return random.nextInt(n) == 0;
  }

  @SafeVarargs
  public final <T> T of(T... choices) {
    return choices[random.nextInt(choices.length)];
  }

  public <T> T of(List<T> choices) {
    return choices.get(random.nextInt(choices.size()));
  }

  /** The value of one of these generators, each equally likely. */
  @SafeVarargs
  public final <T> T oneOf(Function<Gen, ? extends T>... generators) {
    return generators[random.nextInt(generators.length)].apply(this);
  }

  /** A list of minSize to maxSize elements (the ends of that range come up often). */
  public <T> List<T> list(int minSize, int maxSize, Function<Gen, ? extends T> element) {
    int n = between(minSize, maxSize);
    List<T> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) out.add(element.apply(this));
    return out;
  }

  /** Up to maxSize different ints from min to max, in the order drawn. */
  public List<Integer> distinct(int maxSize, int min, int max) {
    int n = Math.min(between(0, maxSize), max - min + 1);
    Set<Integer> out = new LinkedHashSet<>();
    while (out.size() < n) out.add(between(min, max));
    return new ArrayList<>(out);
  }

  /** A string of up to maxLength characters, each from {@code from} to {@code to}. */
  public String string(int maxLength, char from, char to) {
    int n = between(0, maxLength);
    StringBuilder s = new StringBuilder(n);
    for (int i = 0; i < n; i++) s.append((char) uniform(from, to));
    return s.toString();
  }

  /** A string of up to maxLength characters, each one of {@code alphabet}'s. */
  public String string(int maxLength, String alphabet) {
    int n = between(0, maxLength);
    StringBuilder s = new StringBuilder(n);
    for (int i = 0; i < n; i++) s.append(alphabet.charAt(random.nextInt(alphabet.length())));
    return s.toString();
  }

  /**
   * The first value of the generator that {@code accept}s, instead of a test that skips the cases it cannot
   * use: every case then checks something.
   */
  public <T> T until(Function<Gen, ? extends T> generator, Predicate<? super T> accept) {
    for (int i = 0; i < UNTIL_LIMIT; i++) {
      T value = generator.apply(this);
      if (accept.test(value)) return value;
    }
    throw new IllegalStateException("no generated value was accepted in " + UNTIL_LIMIT + " draws");
  }
}
