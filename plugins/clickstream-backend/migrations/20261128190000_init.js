// @ts-check

/**
 * The control plane: projects, their apps, one pipeline per project and its history.
 * Structured values (targets, configurations, stack states) are JSON text so the same
 * schema works on SQLite and PostgreSQL.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('projects', table => {
    table.comment('Clickstream projects');
    table
      .string('id', 127)
      .primary()
      .comment('Project id, also the warehouse database name');
    table.string('name', 255).notNullable();
    table.text('description').notNullable().defaultTo('');
    table
      .string('owner', 255)
      .notNullable()
      .index()
      .comment('Owning user or group entity ref');
    table.string('environment', 8).notNullable();
    table
      .string('target_type', 8)
      .notNullable()
      .index()
      .comment('local or aws');
    table
      .text('target')
      .notNullable()
      .comment('JSON: the full target (account, region)');
    table.text('notification_emails').notNullable().comment('JSON array');
    table.string('created_by', 255).notNullable();
    table.string('created_at', 32).notNullable().comment('ISO 8601');
    table.string('updated_at', 32).notNullable();
    table
      .integer('version')
      .notNullable()
      .comment('Optimistic concurrency version');
  });

  await knex.schema.createTable('apps', table => {
    table.comment('Apps that send events to a project');
    table
      .string('project_id', 127)
      .notNullable()
      .references('id')
      .inTable('projects')
      .onDelete('CASCADE');
    table
      .string('app_id', 127)
      .notNullable()
      .comment('What the SDKs send as appId');
    table.string('name', 255).notNullable();
    table.text('description').notNullable().defaultTo('');
    table.text('platforms').notNullable().comment('JSON array');
    table.string('android_package', 255).nullable();
    table.string('ios_bundle_id', 255).nullable();
    table.string('timezone', 64).nullable().comment('IANA name, set once');
    table.text('cors_origins').notNullable().comment('JSON array');
    table.boolean('enabled').notNullable();
    table.string('created_at', 32).notNullable();
    table.string('updated_at', 32).notNullable();
    table.integer('version').notNullable();
    table.primary(['project_id', 'app_id']);
  });

  await knex.schema.createTable('pipelines', table => {
    table.comment(
      'One pipeline per project: configuration and deployment state',
    );
    table
      .string('project_id', 127)
      .primary()
      .references('id')
      .inTable('projects')
      .onDelete('CASCADE');
    table.text('config').notNullable().comment('JSON pipeline configuration');
    table
      .string('status', 16)
      .notNullable()
      .index()
      .comment('Derived status, kept for filtering');
    table.string('last_action', 16).nullable();
    table
      .string('execution', 16)
      .nullable()
      .comment('State of the last deployment run');
    table
      .string('operation', 16)
      .nullable()
      .comment('Lifecycle operation in flight, if any');
    table.string('operation_started_at', 32).nullable();
    table.string('operation_started_by', 255).nullable();
    table
      .string('operation_heartbeat_at', 32)
      .nullable()
      .comment('Last sign of life of the instance running the operation');
    table.text('stacks').notNullable().comment('JSON array of stack states');
    table
      .text('outputs')
      .notNullable()
      .comment('JSON: endpoint and dashboard links');
    table.string('template_version', 32).nullable();
    table.text('last_error').nullable();
    table.string('created_at', 32).notNullable();
    table.string('updated_at', 32).notNullable();
    table.integer('version').notNullable();
  });

  await knex.schema.createTable('pipeline_events', table => {
    table.comment('Every status transition of a pipeline');
    table.bigIncrements('id').primary();
    table
      .string('project_id', 127)
      .notNullable()
      .references('id')
      .inTable('projects')
      .onDelete('CASCADE');
    table.string('at', 32).notNullable();
    table.string('action', 16).nullable();
    table.string('from_status', 16).notNullable();
    table.string('to_status', 16).notNullable();
    table.text('message').notNullable();
    table.string('actor', 255).notNullable();
    table.index(['project_id', 'id']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('pipeline_events');
  await knex.schema.dropTable('pipelines');
  await knex.schema.dropTable('apps');
  await knex.schema.dropTable('projects');
};
