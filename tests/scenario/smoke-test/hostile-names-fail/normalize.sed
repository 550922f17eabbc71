# Run times vary from run to run.
s/ *[0-9]+ ms/ N ms/g
s/in [0-9]+\.[0-9] s/in N s/g
