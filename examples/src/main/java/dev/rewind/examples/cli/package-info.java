/**
 * The subcommands of {@code rewind} (train, evaluate, predict, grad, convert, init, data) and what
 * they print and write: option groups parsed once into the trainer's and connector's typed values,
 * progress lines, run folders with metrics, plots (XChart) and saved models, and the schedule
 * reports. May use every module and {@code examples.spark}; nothing below it uses this package.
 */
package dev.rewind.examples.cli;
