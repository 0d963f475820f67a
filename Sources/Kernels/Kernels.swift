// Kernels: the numeric floor of Parallax. BLAS matrix products, SIMD quantised dot products,
// normalisation, activations and a small worker pool. No model knowledge lives here.
