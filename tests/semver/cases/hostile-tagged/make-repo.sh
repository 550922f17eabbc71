# The repository of hostile-explain (hostile commit subjects, scopes and footers), tagged for real here.
source "$case_dir/../hostile-explain/make-repo.sh"
