package dev.rewind.trainer.schedule;

import java.util.Locale;

/**
 * Prints, for several sequence lengths, the predicted time of the best fitting schedule of each
 * kind relative to store-all BPTT under one cost model and memory budget: the planners' answer to
 * "what does checkpointing cost here". Run: {@code java -cp trainer/target/classes
 * dev.rewind.trainer.schedule.OverheadTable}.
 */
public final class OverheadTable {
  private OverheadTable() {}

  /** The table as text, one block per length. */
  public static String render(CostModel cost, MemoryBudget budget, long... lengths) {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "cost model: %s%nmemory budget: %s%n", cost, budget));
    out.append(
        String.format(Locale.ROOT, "%10s  %-34s %9s %12s%n", "T", "schedule", "x store", "peak"));
    for (long steps : lengths) {
      AutoPlanner.Choice choice = AutoPlanner.choose(steps, budget, cost);
      double reference = cost.storeAllSeconds(steps);
      out.append(
          String.format(
              Locale.ROOT,
              "%10d  store-all needs %s, predicted %.3f s%n",
              steps,
              MemoryBudget.mebibytes(cost.bytes(0, steps)),
              reference));
      for (AutoPlanner.Candidate candidate : choice.considered()) {
        out.append(
            String.format(
                Locale.ROOT,
                "%10s  %-34s %9.3f %12s%s%n",
                "",
                candidate.schedule().description(),
                candidate.predictedSeconds() / reference,
                MemoryBudget.mebibytes(candidate.bytes()),
                candidate.schedule() == choice.schedule() ? "  <- auto" : ""));
      }
    }
    return out.toString();
  }

  /** Prints the table for T = 10^3 .. 10^6 under a local-disk and an HDFS-like slow tier. */
  public static void main(String[] args) {
    long state = 64 * 1024;
    TierCost heap = TierCost.ofBandwidth(state, 10e9, 10e9, 0);
    CostModel localDisk = model(state, heap, TierCost.ofBandwidth(state, 1e9, 2e9, 0));
    CostModel hdfs = model(state, heap, TierCost.ofBandwidth(state, 100e6, 200e6, 20e-3));
    MemoryBudget budget =
        args.length > 0 ? MemoryBudget.parse(args[0]) : MemoryBudget.parse("256m");
    long[] lengths = {1_000, 10_000, 100_000, 1_000_000};
    System.out.println(render(localDisk, budget, lengths));
    System.out.println(render(hdfs, budget, lengths));
  }

  /** The table's network (64 KiB of state, 40 KiB of tape a step) over a given slow tier. */
  private static CostModel model(long state, TierCost memory, TierCost slow) {
    return new CostModel(0.25e-3, 0.30e-3, 0.60e-3, state, 40 * 1024, memory, slow);
  }
}
