# src/web/web.mk - `make web`: probe compiled to WebAssembly with Debian's
# emscripten, and the page that runs it (src/web/), in $(B)/web/. Open
# $(B)/web/index.html from the file system: no server, nothing fetched.
#
# The library and the command line are compiled with NO_FFI's flag: Debian
# 12's libffi has no WebAssembly port, so the shape functions are called
# through the direct calls generated from their schemas (src/reg/direct.c),
# and plugins are not offered. The page calls the CLI's main() once per view
# (cli_main keeps no state between calls): -sINVOKE_RUN=0 -sEXIT_RUNTIME=0.
# -sSINGLE_FILE=1 inlines the module in probe.js, which a page opened from
# file:// could not fetch.

EMCC     ?= emcc
# Debian's emcc finds its acorn through NODE_PATH when `node` is not Debian's
WEB_ENV  := NODE_PATH=$(if $(NODE_PATH),$(NODE_PATH):)/usr/share/nodejs
WEB_OBJD := $(B)/wasm
WEB_CFLAGS = $(CSTD) $(WARN) -O2 -D_POSIX_C_SOURCE=200809L -DPROBE_NO_FFI -Iinclude -Isrc -I$(B)/gen
WEB_OBJ  := $(LIB_SRC:src/%.c=$(WEB_OBJD)/%.o) $(CLI_OBJ:$(B)/obj/%=$(WEB_OBJD)/%)
WEB_LINK := -O2 -sSINGLE_FILE=1 -sINVOKE_RUN=0 -sEXIT_RUNTIME=0 -sFORCE_FILESYSTEM=1 \
            -sALLOW_MEMORY_GROWTH=1 -sEXPORTED_RUNTIME_METHODS=callMain,FS,ENV
# The examples offered in the page's list: file, then its label.
WEB_EXAMPLES := \
    probes/forum_block3.cfg "The forum's block 3 (net.cfg lines)" \
    probes/lenet5.cfg "LeNet-5" \
    probes/alexnet.cfg "AlexNet" \
    probes/too_small.cfg "An input too small" \
    probes/mnist_net.py "PyTorch's MNIST example (model .py)" \
    probes/resnet_scratch.py "A ResNet written from scratch (model .py)" \
    tests/corpus/zoo/vgg16_bn_224x224.cfg "VGG16-BN, print(model) text"
WEB_FILES := $(B)/web/index.html $(B)/web/app.js $(B)/web/style.css $(B)/web/examples.js $(B)/web/probe.js

.PHONY: web web-test
web: $(WEB_FILES)

$(WEB_OBJD)/%.o: src/%.c $(GEN) $(LIB_HDR) include/probe.h include/probe_plugin.h
	@mkdir -p $(@D)
	$(WEB_ENV) $(EMCC) $(WEB_CFLAGS) -c -o $@ $<

# the generated sources, each read by one file, as in the native build
$(WEB_OBJD)/reg/direct.o: $(B)/gen/ops_thunks.h
$(WEB_OBJD)/py/py_zoo.o: $(B)/gen/zoo_src.h

$(B)/web/probe.js: $(WEB_OBJ)
	@mkdir -p $(@D)
	$(WEB_ENV) $(EMCC) -o $@ $(WEB_OBJ) $(WEB_LINK)

$(B)/web/%: src/web/%
	@mkdir -p $(@D)
	cp $< $@

$(B)/web/examples.js: tools/web_examples.sh $(filter probes/% tests/%,$(WEB_EXAMPLES))
	@mkdir -p $(@D)
	sh tools/web_examples.sh $(WEB_EXAMPLES) > $@.tmp && mv $@.tmp $@

# The page in headless Chromium, driven through chromedriver (tests/web/run.sh).
web-test: web
	@sh tests/web/run.sh $(B)/web
