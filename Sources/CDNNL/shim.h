#include <oneapi/dnnl/dnnl.h>

// oneDNN's CPU threads come from OpenMP (libgomp on Debian): a thread that calls it sets
// its own team size with this.
void omp_set_num_threads(int count);
