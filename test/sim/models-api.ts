/**
 * The account and models endpoints: `GET /v1/account`, `GET /v1/models/{owner}/{name}` (private
 * models are 404 to other accounts; `latest_version` null until a first version), and the versions
 * list and get with their `openapi_schema`. Mirrors Replicate's OpenAPI `account.get`,
 * `models.get`, `models.versions.*` (reference §2).
 */
import type { CatalogModel, ModelVersion } from './model-rules';
import type { PredictionRecord } from './prediction-state';
import { NOT_FOUND, PAGE_SIZE, json, paginate, type RequestContext, type SimResponse, type User } from './sim-http';

export class ModelsApi {
  constructor(
    private readonly models: CatalogModel[],
    /** the simulator's predictions, for `run_count` */
    private readonly predictionsById: ReadonlyMap<string, PredictionRecord>,
  ) {}

  async getAccount({ user }: RequestContext): Promise<SimResponse> {
    return json(200, {
      type: 'user',
      username: user.username,
      name: user.name,
      github_url: `https://github.com/${user.username}`,
    });
  }

  private visibleModel(user: User, owner: string, name: string): CatalogModel | null {
    const model = this.models.find((m) => m.owner === owner && m.name === name);
    if (!model) return null;
    if (model.visibility === 'private' && model.owner !== user.username) return null;
    return model;
  }

  private versionJson(v: ModelVersion) {
    return { id: v.id, created_at: v.createdAt, cog_version: v.cogVersion, openapi_schema: v.schema };
  }

  async getModel({ user }: RequestContext, owner: string, name: string): Promise<SimResponse> {
    const model = this.visibleModel(user, owner, name);
    if (!model) return json(404, NOT_FOUND);
    const created = [...this.predictionsById.values()].filter((p) => p.model === model).length;
    const latest = model.versions[model.versions.length - 1];
    return json(200, {
      url: `https://replicate.com/${model.owner}/${model.name}`,
      owner: model.owner,
      name: model.name,
      description: model.description,
      visibility: model.visibility,
      github_url: null,
      paper_url: null,
      license_url: null,
      run_count: model.runCount + created,
      cover_image_url: null,
      default_example: null,
      // a new training destination has no version until its first training succeeds
      latest_version: latest ? this.versionJson(latest) : null,
    });
  }

  async getVersions(
    { user, url }: RequestContext,
    owner: string,
    name: string,
    id: string | undefined,
  ): Promise<SimResponse> {
    const model = this.visibleModel(user, owner, name);
    if (!model) return json(404, NOT_FOUND);
    if (id !== undefined) {
      const v = model.versions.find((x) => x.id === id);
      return v ? json(200, this.versionJson(v)) : json(404, NOT_FOUND);
    }
    const newestFirst = [...model.versions].reverse();
    return json(
      200,
      paginate(
        newestFirst,
        (v) => [Date.parse(v.createdAt), v.index],
        url,
        PAGE_SIZE,
        (v) => this.versionJson(v),
      ),
    );
  }
}
