# Thin wrappers around dev.sh, for people who prefer make. ARGS passes arguments on:
#   make run ARGS="--db postgresql://depot@server/depot"
#   make test ARGS="-k custody -x"
.PHONY: run test lock

run:
	./dev.sh run $(ARGS)

test:
	./dev.sh test $(ARGS)

lock:
	./dev.sh lock $(ARGS)
