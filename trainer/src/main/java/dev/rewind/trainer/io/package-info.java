/**
 * NumPy {@code .npy} files and folders of named tensors, the exchange format between Rewind and
 * Python tools (the PyTorch reference in {@code benchmarks/pytorch}).
 *
 * <p>{@link dev.rewind.trainer.io.Npy} reads and writes single arrays; {@link
 * dev.rewind.trainer.io.NamedTensorFolder} reads and writes a folder of {@code <name>.npy} files
 * against a list of expected names, element types and shapes. Every write is atomic (temporary file
 * then rename); every error names the file and the problem.
 */
package dev.rewind.trainer.io;
