/*
 * py_zoo.h - torchvision's models and blocks in the Python probe runs
 * (prefix: py_zoo_), shipped inside probe: never read from disk.
 */
#ifndef PROBE_PY_ZOO_H
#define PROBE_PY_ZOO_H

#include "py/py_interp.h"

/* Runs the library once, into its own module frame (P->zoo); false after
 * the error. Only while a model is built. */
bool py_zoo_load(py *P);
/* A name of the library (a class, a builder such as resnet18); false when
 * there is none (no error set) or the library failed (P->failed). */
bool py_zoo_get(py *P, const char *name, pyval *out);
/* The library's class of that name; false when there is none. */
bool py_zoo_class(py *P, const char *name, pyclass **out);

#endif
