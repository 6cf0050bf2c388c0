"""Regenerates the golden .npy files next to this script: python3 generate_golden.py <this folder>.

Generated with numpy 1.24 (Debian) and checked byte-identical with numpy 2.4."""
import sys, numpy as np
out = sys.argv[1]
import os; os.makedirs(out, exist_ok=True)
np.save(f"{out}/f4_2x3.npy", (np.arange(6, dtype='<f4').reshape(2, 3) * 0.5 - 1).astype('<f4'))
np.save(f"{out}/i4_vector.npy", np.array([-2147483648, -1, 0, 7, 2147483647], dtype='<i4'))
np.save(f"{out}/f4_scalar.npy", np.array(3.25, dtype='<f4'))
np.save(f"{out}/f4_empty_0x4.npy", np.zeros((0, 4), dtype='<f4'))
np.save(f"{out}/f8_2x2.npy", np.array([[0.1, -2.5], [1e-3, 3.0]], dtype='<f8'))
np.save(f"{out}/i8_vector.npy", np.array([1, -5, 2**31 - 1], dtype='<i8'))
with open(f"{out}/f4_v2_3.npy", "wb") as f:
    np.lib.format.write_array(f, np.array([1.5, -2.0, 1e-30], dtype='<f4'), version=(2, 0))
np.save(f"{out}/fortran_2x3.npy", np.asfortranarray(np.arange(6, dtype='<f4').reshape(2, 3)))
np.save(f"{out}/bigendian_f4.npy", np.array([1.0, 2.0], dtype='>f4'))
np.save(f"{out}/bool_b1.npy", np.array([True, False]))
