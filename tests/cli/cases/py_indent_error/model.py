class Net:
    def f(self):
        return 1
  x = 2
