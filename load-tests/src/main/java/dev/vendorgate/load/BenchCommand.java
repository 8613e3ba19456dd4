package dev.vendorgate.load;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/** {@code bench [JMH options]}: the JMH benchmarks of the gateway's hot paths (see {@code dev.vendorgate.load.bench}). */
@Command(name = "bench", description = "Run the JMH benchmarks; every argument goes to JMH (try: bench -h, bench -l).")
final class BenchCommand implements Callable<Integer> {

    /** Everything after {@code bench} goes to JMH as is, e.g. {@code -f 1 -wi 3 -i 5 Canonical}. */
    @Unmatched
    List<String> args = new java.util.ArrayList<>();

    @Override
    public Integer call() throws Exception {
        org.openjdk.jmh.Main.main(args.toArray(String[]::new));
        return 0;
    }
}
