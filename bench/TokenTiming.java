import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.util.List;
import java.util.function.Predicate;

/**
 * Does the switch-back service's token check take as long for a guess wrong in its first character as for one wrong
 * only in its last? Times vgapass's BearerToken and, in the same run as the machine's reference, a comparison that
 * stops at the first difference (String.equals), over a 4,096-character token: the fastest of ROUNDS rounds of 2,000
 * checks each, so that other work on the machine does not decide it. A ratio near 1 tells nothing; the naive one's
 * ratio shows what a leak looks like on this machine.
 * Run: java -cp target/vgapass.jar bench/TokenTiming.java [ROUNDS]
 */
public class TokenTiming {
  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    String token = "k".repeat(4096);
    Class<?> c = Class.forName("io.vgapass.input.BearerToken");
    Constructor<?> make = c.getDeclaredConstructor(String.class);
    make.setAccessible(true);
    Object bearer = make.newInstance(token);
    Method matches = c.getDeclaredMethod("matches", List.class);
    matches.setAccessible(true);
    Predicate<String> vgapass = guess -> {
      try {
        return (Boolean) matches.invoke(bearer, List.of("Bearer " + guess));
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    };
    String expected = new String(token.toCharArray());
    Predicate<String> naive = expected::equals;
    String early = "x" + token.substring(1);
    String late = token.substring(1) + "x";
    System.out.printf("vgapass BearerToken: late/early %.3f%n", ratio(vgapass, early, late, rounds));
    System.out.printf("String.equals (leaks): late/early %.3f%n", ratio(naive, early, late, rounds));
  }

  private static double ratio(Predicate<String> check, String early, String late, int rounds) {
    for (int warm = 0; warm < 10; warm++) time(check, warm % 2 == 0 ? early : late);
    long bestEarly = Long.MAX_VALUE;
    long bestLate = Long.MAX_VALUE;
    for (int round = 0; round < rounds; round++) {
      boolean earlyFirst = round % 2 == 0; // neither always follows a pause
      if (earlyFirst) bestEarly = Math.min(bestEarly, time(check, early));
      bestLate = Math.min(bestLate, time(check, late));
      if (!earlyFirst) bestEarly = Math.min(bestEarly, time(check, early));
    }
    return (double) bestLate / bestEarly;
  }

  private static long time(Predicate<String> check, String guess) {
    long t0 = System.nanoTime();
    boolean any = false;
    for (int i = 0; i < 2_000; i++) any |= check.test(guess);
    if (any) throw new IllegalStateException("a wrong guess matched");
    return System.nanoTime() - t0;
  }
}
