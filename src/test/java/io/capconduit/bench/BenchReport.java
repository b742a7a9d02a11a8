package io.capconduit.bench;

import java.util.Locale;

/** Prints one figure the way the README promises: {@code BENCH <figure> <value> <unit>}. */
public final class BenchReport {

    private BenchReport() {
    }

    public static void report(String figure, double value, String unit) {
        String number = value == Math.rint(value) && Math.abs(value) < 1e15
                ? String.valueOf((long) value) : String.format(Locale.ROOT, "%.2f", value);
        System.out.println("BENCH " + figure + " " + number + " " + unit);
        System.out.flush();
    }
}
