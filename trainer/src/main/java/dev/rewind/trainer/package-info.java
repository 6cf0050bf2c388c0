/** Placeholder so the module packages; replaced by real code. */
package dev.rewind.trainer;
