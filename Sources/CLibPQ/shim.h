/* libpq, found through pkg-config (-I/usr/include/postgresql). */
#include <libpq-fe.h>
