/**
 * The {@code rewind} command line: {@link dev.rewind.examples.RewindCli} and its picocli
 * subcommands in {@code cli}. Uses {@code cli} only.
 */
package dev.rewind.examples;
